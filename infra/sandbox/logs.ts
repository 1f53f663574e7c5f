// GET /api/v1/namespaces/NS/pods/NAME/log, as the apiserver validates PodLogOptions and the kubelet serves a
// container's log (pkg/registry/core/pod/rest/log.go, pkg/apis/core/validation ValidatePodLogOptions,
// pkg/kubelet/kubelet_pods.go validateContainerLogStatus, pkg/kubelet/kuberuntime/logs ReadLogs).
import { createHash } from "node:crypto";
import type http from "node:http";
import type { Ctx } from "./context";
import { recipeFor, stamp } from "./log-lines";
import { ApiError, notFound } from "./status";
import type { K8sObject } from "./types";

// One container instance whose log is read: the running one, or a terminated one.
interface Instance {
  id: string;
  start: Date;
  end: Date | null;
  reason?: string;
}

// Rotation (containerLogMaxSize) keeps only the newest part of a long-running log.
const MAX_STEADY = 5000;

function invalid(name: string, field: string, value: string, why: string): ApiError {
  return new ApiError(422, `PodLogOptions "${name}" is invalid: ${field}: Invalid value: ${value}: ${why}`);
}

function int(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === "") return undefined;
  if (!/^-?\d+$/.test(v)) throw new ApiError(400, `strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Number(v);
}

function bool(q: URLSearchParams, key: string): boolean {
  const v = q.get(key);
  if (v === null || v === "" || v === "false" || v === "0") return false;
  if (v === "true" || v === "1") return true;
  throw new ApiError(400, `strconv.ParseBool: parsing "${v}": invalid syntax`);
}

// The kubelet's choice of container instance for current or previous logs, with its errors.
function instanceOf(pod: K8sObject, container: string, previous: boolean): Instance {
  const cs = (pod.status?.containerStatuses ?? []).find((c: any) => c.name === container);
  const podName = pod.metadata.name;
  const last = cs?.lastState?.terminated;
  const term = (t: any): Instance => ({
    id: t.containerID,
    start: new Date(t.startedAt),
    end: new Date(t.finishedAt),
    reason: t.reason,
  });
  if (previous) {
    if (!last?.containerID)
      throw new ApiError(400, `previous terminated container "${container}" in pod "${podName}" not found`);
    return term(last);
  }
  if (cs?.state?.running) return { id: cs.containerID, start: new Date(cs.state.running.startedAt), end: null };
  if (cs?.state?.terminated) {
    if (cs.state.terminated.containerID) return term(cs.state.terminated);
    if (last?.containerID) return term(last);
    throw new ApiError(400, `container "${container}" in pod "${podName}" is terminated`);
  }
  if (last?.containerID) return term(last);
  const reason = cs?.state?.waiting?.reason;
  if (reason === "ErrImagePull")
    throw new ApiError(400, `container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`);
  if (reason === "ImagePullBackOff")
    throw new ApiError(
      400,
      `container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`,
    );
  if (reason) throw new ApiError(400, `container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
  throw new ApiError(400, `container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}

interface Line {
  t: number;
  text: string;
}

// The instance's lines with a time up to `until`, oldest first.
function linesOf(pod: K8sObject, container: string, inst: Instance, until: number): Line[] {
  const r = recipeFor(container, pod.metadata.name, inst.id);
  const start = inst.start.getTime();
  const end = inst.end ? Math.min(inst.end.getTime(), until) : until;
  const out: Line[] = r.startup
    .map((text, i) => ({ t: start + i * 40, text: stamp(text, inst.start, inst.end ?? inst.start) }))
    .filter((l) => l.t <= end);
  const step = r.everySeconds * 1000;
  const first = start + 1000;
  const n = end >= first ? Math.floor((end - first) / step) + 1 : 0;
  for (let i = Math.max(0, n - MAX_STEADY); i < n; i++)
    out.push({ t: first + i * step, text: r.steady(i, new Date(first + i * step)) });
  // An OOM kill leaves no last words; a crash prints them as the process exits.
  if (inst.end && inst.end.getTime() <= until && inst.reason !== "OOMKilled")
    for (const [i, text] of r.crash.entries())
      out.push({ t: inst.end.getTime() - (r.crash.length - i), text: stamp(text, inst.start, inst.end) });
  return out;
}

// RFC3339Nano, as the kubelet prefixes lines with timestamps=true.
function nano(t: number): string {
  const ns = createHash("md5").update(String(t)).digest().readUInt32BE(0) % 1_000_000;
  return new Date(t).toISOString().replace(/\.(\d{3})Z$/, `.$1${String(ns).padStart(6, "0")}Z`);
}

// Answers a pod log request; errors are thrown as Status bodies before any byte is written.
export function servePodLog(
  ctx: Ctx,
  ns: string,
  name: string,
  q: URLSearchParams,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  const store = ctx.cluster.store;
  const pod = store.get("pods", name, ns);
  if (!pod) throw notFound("pods", name);
  const tail = int(q, "tailLines");
  const limit = int(q, "limitBytes");
  const sinceSeconds = int(q, "sinceSeconds");
  const sinceTime = q.get("sinceTime");
  const follow = bool(q, "follow");
  const previous = bool(q, "previous");
  const timestamps = bool(q, "timestamps");
  if (tail !== undefined && tail < 0)
    throw invalid(name, "tailLines", String(tail), "must be greater than or equal to 0");
  if (limit !== undefined && limit < 1) throw invalid(name, "limitBytes", String(limit), "must be greater than 0");
  if (sinceSeconds !== undefined && sinceSeconds < 1)
    throw invalid(name, "sinceSeconds", String(sinceSeconds), "must be greater than 0");
  if (sinceSeconds !== undefined && sinceTime)
    throw new ApiError(
      422,
      `PodLogOptions "${name}" is invalid: : Forbidden: at most one of \`sinceTime\` or \`sinceSeconds\` may be specified`,
    );
  if (sinceTime && Number.isNaN(Date.parse(sinceTime)))
    throw new ApiError(
      400,
      `parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTime}" as "2006"`,
    );
  const containers: string[] = pod.spec.containers.map((c: any) => c.name);
  const container = q.get("container") || (containers.length === 1 ? containers[0]! : "");
  if (!container)
    throw new ApiError(
      400,
      `a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]`,
    );
  if (!containers.includes(container)) throw new ApiError(400, `container ${container} is not valid for pod ${name}`);
  if (!pod.spec.nodeName) throw new ApiError(400, `pod ${name} does not have a host assigned`);
  const node = store.get("nodes", pod.spec.nodeName);
  const down = (node?.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "Unknown");
  if (down) {
    // The apiserver cannot reach the kubelet; the dial error comes back as an unknown-reason 500.
    const ip = pod.status?.hostIP ?? "";
    const stopped = ctx.cluster.instances.some((i) => i.node === pod.spec.nodeName && i.state === "stopped");
    throw new ApiError(
      500,
      `Get "https://${ip}:10250/containerLogs/${ns}/${name}/${container}": dial tcp ${ip}:10250: ${stopped ? "i/o timeout" : "connect: connection refused"}`,
      undefined,
      "",
    );
  }
  const inst = instanceOf(pod, container, previous);
  const from =
    sinceSeconds !== undefined ? Date.now() - sinceSeconds * 1000 : sinceTime ? Date.parse(sinceTime) : -Infinity;
  let lines = linesOf(pod, container, inst, Date.now()).filter((l) => l.t >= from);
  if (tail !== undefined) lines = tail === 0 ? [] : lines.slice(-tail);
  let budget = limit ?? Infinity;
  const fmt = (l: Line) => `${timestamps ? `${nano(l.t)} ` : ""}${l.text}\n`;
  const write = (s: string): boolean => {
    if (budget <= 0) return false;
    const b = Buffer.from(s);
    res.write(b.subarray(0, Math.min(b.length, budget)));
    budget -= b.length;
    return budget > 0;
  };
  res.writeHead(200, { "Content-Type": "text/plain", ...(follow ? { "Transfer-Encoding": "chunked" } : {}) });
  let lastT = -Infinity;
  for (const l of lines) {
    lastT = l.t;
    if (!write(fmt(l))) return void res.end();
  }
  if (!follow || inst.end) return void res.end();
  // Follow: new lines as time passes, and the instance's last words when it stops; then the stream ends.
  res.flushHeaders();
  const timer = setInterval(() => {
    const cur = store.get("pods", name, ns);
    const cs = (cur?.status?.containerStatuses ?? []).find((c: any) => c.name === container);
    const gone = !cur || cs?.containerID !== inst.id || !cs?.state?.running;
    const ended = gone
      ? { ...inst, end: new Date(), reason: cs?.lastState?.terminated?.reason ?? cs?.state?.terminated?.reason }
      : inst;
    const fresh = linesOf(pod, container, ended, Date.now()).filter((l) => l.t > lastT);
    for (const l of fresh) {
      lastT = l.t;
      if (!write(fmt(l))) return stop();
    }
    if (gone) stop();
  }, 250);
  const stop = () => {
    clearInterval(timer);
    res.end();
  };
  req.on("close", () => clearInterval(timer));
}
