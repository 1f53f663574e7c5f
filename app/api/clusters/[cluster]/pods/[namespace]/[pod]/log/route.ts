// GET /api/clusters/:cluster/pods/:namespace/:pod/log?container=&previous=&follow=&tailLines=&timestamps=&download=
// - streams a container's log from the kubelet, redacted, as text (follow: until the browser leaves; viewer and up)
import { withRole } from "@/server/auth/with-role";
import { readErrorResponse, readerOf } from "@/server/cluster/reads/on-demand";
import { openPodLog, parsePodLogOptions } from "@/server/cluster/reads/pod-logs";
import { decoded, podRef } from "@/server/cluster/reads/pod-ref";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ cluster: string; namespace: string; pod: string }> };

export const GET = withRole(
  "viewer",
  "pod.logs",
  async (request: Request, { params }: Params) => {
    const p = await params;
    const { namespace, pod } = podRef(p.namespace, p.pod);
    const o = parsePodLogOptions(new URL(request.url).searchParams);
    const kt = await readerOf(decoded("cluster", p.cluster));
    // request.signal fires when the browser goes away: it ends the kubelet stream too.
    const body = await openPodLog(kt, namespace, pod, o, request.signal);
    const name = `${namespace}-${pod}${o.container ? `-${o.container}` : ""}${o.previous ? "-previous" : ""}.log`;
    return new Response(body, {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "no-store, no-transform",
        "x-accel-buffering": "no",
        ...(o.download ? { "content-disposition": `attachment; filename="${name}"` } : {}),
      },
    });
  },
  { onError: readErrorResponse },
);
