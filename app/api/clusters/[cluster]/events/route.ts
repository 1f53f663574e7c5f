// GET /api/clusters/:cluster/events?node=NAME | ?tier=ID | ?namespace=NS&pod=NAME[&uid=UID] - the Events of a node, a tier
// or a pod, newest first, read on demand with the read-only identity (viewer and up)
import { withRole } from "@/server/auth/with-role";
import { listEvents, type EventScope } from "@/server/cluster/reads/events";
import { getHealth, WITHOUT_PODS } from "@/server/cluster/health/get-health";
import { READ_TIMEOUT_MS, readErrorResponse, readerOf, withDeadline } from "@/server/cluster/reads/on-demand";
import { decoded, dnsSubdomain, podRef } from "@/server/cluster/reads/pod-ref";
import { findTier, nodeInTier } from "@/server/config/tiers";
import { ValidationError } from "@/server/errors";

export const dynamic = "force-dynamic";

async function scopeOf(cluster: string, q: URLSearchParams): Promise<EventScope> {
  const node = q.get("node");
  const tier = q.get("tier");
  const pod = q.get("pod");
  if ([node, tier, pod].filter((x) => x !== null).length !== 1)
    throw new ValidationError("scope: give exactly one of node, tier or pod (with namespace)");
  if (node !== null) return { kind: "node", name: dnsSubdomain("node", node) };
  if (pod !== null) {
    const r = podRef(encodeURIComponent(q.get("namespace") ?? ""), encodeURIComponent(pod));
    // With the pod's uid, a namesake that was deleted and re-created (a StatefulSet's pod) keeps its own events.
    const uid = q.get("uid");
    if (uid !== null && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(uid))
      throw new ValidationError(`uid: "${uid.slice(0, 40)}" is not a uid`);
    return { kind: "pod", namespace: r.namespace, name: r.pod, uid };
  }
  const def = findTier(tier!);
  if (!def) throw new ValidationError(`tier: "${tier!.slice(0, 10)}" is not a tier (1 to 4)`);
  // The tier's nodes as the stored reading knows them (by label, else by name), as the tier page shows them.
  const nodes =
    (await getHealth(cluster, WITHOUT_PODS)).data.nodes?.filter((n) => nodeInTier(n, def)).map((n) => n.name) ??
    def.nodes;
  return { kind: "tier", tier: def, nodes };
}

export const GET = withRole(
  "viewer",
  "events.read",
  async (request: Request, { params }: { params: Promise<{ cluster: string }> }) => {
    const cluster = decoded("cluster", (await params).cluster);
    const kt = await readerOf(cluster);
    const scope = await scopeOf(cluster, new URL(request.url).searchParams);
    const events = await withDeadline(READ_TIMEOUT_MS, (signal) => listEvents(kt, scope, signal));
    return Response.json({ events, at: new Date().toISOString() }, { headers: { "cache-control": "no-store" } });
  },
  { onError: readErrorResponse },
);
