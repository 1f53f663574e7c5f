import "server-only";
import { KubeError, kubeGetJson } from "@/server/cluster/kube/kube-http";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { podStatus, type RawPod } from "@/server/cluster/sources/pod-status";

// One pod as `kubectl describe pod` tells it: every container (init, native sidecar, app) with image, state,
// last termination, restarts and probes, and the owner chain read through ownerReferences. The container and
// probe wording follows kubectl's describe (staging/src/k8s.io/kubectl/pkg/describe/describe.go,
// describeContainerState and DescribeProbe).

type Probe = {
  exec?: { command?: string[] };
  httpGet?: { scheme?: string; host?: string; port?: number | string; path?: string };
  tcpSocket?: { host?: string; port?: number | string };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
};
type State = {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: {
    reason?: string;
    message?: string;
    exitCode?: number;
    signal?: number;
    startedAt?: string;
    finishedAt?: string;
  };
};
type Spec = {
  name: string;
  image?: string;
  restartPolicy?: string;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  ports?: { containerPort: number; protocol?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
};
type Status = {
  name: string;
  image?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: State;
  lastState?: State;
};
type OwnerRef = { apiVersion?: string; kind: string; name: string; controller?: boolean };
type Full = Omit<RawPod, "metadata" | "spec" | "status"> & {
  metadata: RawPod["metadata"] & { uid?: string; ownerReferences?: OwnerRef[] };
  spec?: { nodeName?: string; containers?: Spec[]; initContainers?: Spec[] };
  status?: Omit<NonNullable<RawPod["status"]>, "conditions"> & {
    hostIP?: string;
    qosClass?: string;
    startTime?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  };
};

/** A container's state now, or its last termination, in describe's terms. */
export type ContainerStateView = {
  state: "Running" | "Waiting" | "Terminated" | "Unknown";
  reason: string | null;
  message: string | null;
  exitCode: number | null;
  signal: number | null;
  startedAt: string | null;
  finishedAt: string | null;
};

/** One container of the pod: `init` runs to completion first, `sidecar` is an init container with restartPolicy Always. */
export type ContainerView = {
  name: string;
  kind: "init" | "sidecar" | "app";
  image: string;
  ready: boolean;
  started: boolean | null;
  restarts: number;
  state: ContainerStateView;
  lastTermination: ContainerStateView | null;
  probes: { kind: "Liveness" | "Readiness" | "Startup"; text: string }[];
  ports: string[];
  requests: Record<string, string>;
  limits: Record<string, string>;
};

/** One link of the owner chain; `error` when the owner could not be read (it is still named). */
export type OwnerLink = { kind: string; name: string; error?: string };

/** Everything the pod page shows above the events and logs. */
export type PodDetail = {
  name: string;
  namespace: string;
  uid: string | null;
  node: string | null;
  podIP: string | null;
  hostIP: string | null;
  qosClass: string | null;
  phase: string;
  status: string;
  ready: number;
  total: number;
  restarts: number;
  lastRestartAt: string | null;
  createdAt: string | null;
  deleting: boolean;
  conditions: { type: string; status: string; reason: string | null; message: string | null; since: string | null }[];
  containers: ContainerView[];
  /** The owners, outermost first (Deployment, ReplicaSet), ending above the pod. */
  owners: OwnerLink[];
};

function stateView(s: State | undefined): ContainerStateView {
  const base = { reason: null, message: null, exitCode: null, signal: null, startedAt: null, finishedAt: null };
  if (s?.running) return { ...base, state: "Running", startedAt: s.running.startedAt ?? null };
  if (s?.waiting)
    return { ...base, state: "Waiting", reason: s.waiting.reason ?? null, message: s.waiting.message ?? null };
  const t = s?.terminated;
  if (t)
    return {
      state: "Terminated",
      reason: t.reason ?? null,
      message: t.message ?? null,
      exitCode: t.exitCode ?? null,
      signal: t.signal ?? null,
      startedAt: t.startedAt ?? null,
      finishedAt: t.finishedAt ?? null,
    };
  return { ...base, state: "Unknown" };
}

/** A probe as describe prints it: `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`. */
export function describeProbe(p: Probe): string {
  // The apiserver defaults these (SetDefaults_Probe); a recorded object without them gets the same values.
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(" ")}] ${attrs}`;
  if (p.httpGet) {
    const g = p.httpGet;
    const port = g.port === undefined ? "" : String(g.port);
    const host = g.host ?? "";
    return `http-get ${(g.scheme ?? "HTTP").toLowerCase()}://${port ? `${host.includes(":") ? `[${host}]` : host}:${port}` : host}${g.path ?? ""} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ""}:${p.tcpSocket.port ?? ""} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ""} ${attrs}`;
  return `unknown ${attrs}`;
}

function containerView(spec: Spec, status: Status | undefined, kind: ContainerView["kind"]): ContainerView {
  const probes: ContainerView["probes"] = [];
  if (spec.livenessProbe) probes.push({ kind: "Liveness", text: describeProbe(spec.livenessProbe) });
  if (spec.readinessProbe) probes.push({ kind: "Readiness", text: describeProbe(spec.readinessProbe) });
  if (spec.startupProbe) probes.push({ kind: "Startup", text: describeProbe(spec.startupProbe) });
  return {
    name: spec.name,
    kind,
    image: spec.image ?? status?.image ?? "",
    ready: status?.ready ?? false,
    started: status?.started ?? null,
    restarts: status?.restartCount ?? 0,
    state: stateView(status?.state),
    lastTermination: status?.lastState?.terminated ? stateView(status.lastState) : null,
    probes,
    ports: (spec.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`),
    requests: spec.resources?.requests ?? {},
    limits: spec.resources?.limits ?? {},
  };
}

/** Maps a Pod object to the page's view (pure: tested on recorded pods). */
export function toPodDetail(p: Full): PodDetail {
  const s = podStatus(p);
  const st = p.status ?? {};
  const byName = (list: Status[] | undefined, name: string) => list?.find((c) => c.name === name);
  // Statuses are matched to the spec by name, as kubectl does; spec order is the order they run in.
  const containers = [
    ...(p.spec?.initContainers ?? []).map((c) =>
      containerView(
        c,
        byName(st.initContainerStatuses as Status[] | undefined, c.name),
        c.restartPolicy === "Always" ? "sidecar" : "init",
      ),
    ),
    ...(p.spec?.containers ?? []).map((c) =>
      containerView(c, byName(st.containerStatuses as Status[] | undefined, c.name), "app"),
    ),
  ];
  return {
    name: p.metadata.name,
    namespace: p.metadata.namespace ?? "default",
    uid: p.metadata.uid ?? null,
    node: p.spec?.nodeName ?? null,
    podIP: st.podIP ?? null,
    hostIP: st.hostIP ?? null,
    qosClass: st.qosClass ?? null,
    phase: st.phase ?? "",
    status: s.reason,
    ready: s.ready,
    total: s.total,
    restarts: s.restarts,
    lastRestartAt: s.lastRestartAt,
    createdAt: p.metadata.creationTimestamp ?? null,
    deleting: !!p.metadata.deletionTimestamp,
    conditions: (st.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason ?? null,
      message: c.message ?? null,
      since: c.lastTransitionTime ?? null,
    })),
    containers,
    owners: [],
  };
}

// The owner kinds whose objects the reader may get (infra/kubernetes/portal-rbac.yaml), by API path.
const READABLE: Record<string, string> = {
  ReplicaSet: "replicasets",
  Deployment: "deployments",
  StatefulSet: "statefulsets",
  DaemonSet: "daemonsets",
};
const controllerOf = (refs: OwnerRef[] | undefined) => refs?.find((r) => r.controller) ?? refs?.[0];

/** The owner chain above an object, outermost first: each controller reference is read for its own owner. */
export async function ownerChain(
  kt: KubeTarget,
  namespace: string,
  refs: OwnerRef[] | undefined,
  signal: AbortSignal,
): Promise<OwnerLink[]> {
  const chain: OwnerLink[] = [];
  let ref = controllerOf(refs);
  // Deployment → ReplicaSet → Pod is the deepest chain among the kinds read here; 4 bounds a cycle.
  for (let depth = 0; ref && depth < 4; depth++) {
    const link: OwnerLink = { kind: ref.kind, name: ref.name };
    chain.unshift(link);
    const resource = READABLE[ref.kind];
    if (!resource || !ref.apiVersion?.startsWith("apps/")) break;
    try {
      const o = await kubeGetJson<{ metadata: { ownerReferences?: OwnerRef[] } }>(
        kt,
        `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${resource}/${encodeURIComponent(ref.name)}`,
        signal,
      );
      ref = controllerOf(o.metadata.ownerReferences);
    } catch (err) {
      if (!(err instanceof KubeError)) throw err;
      link.error = err.status === 404 ? "no longer exists" : err.message;
      break;
    }
  }
  return chain;
}

/** Reads one pod and its owner chain; null when the pod does not exist. */
export async function getPodDetail(
  kt: KubeTarget,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<PodDetail | null> {
  let pod: Full;
  try {
    pod = await kubeGetJson<Full>(
      kt,
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`,
      signal,
    );
  } catch (err) {
    if (err instanceof KubeError && err.status === 404) return null;
    throw err;
  }
  const detail = toPodDetail(pod);
  detail.owners = await ownerChain(kt, detail.namespace, pod.metadata.ownerReferences, signal);
  return detail;
}
