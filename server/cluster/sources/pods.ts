import "server-only";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { kubeListAll } from "@/server/cluster/kube/kube-http";
import {
  condTrue,
  pendingReason,
  podStatus,
  workloadOf,
  type ContainerTermination,
  type RawPod,
} from "@/server/cluster/sources/pod-status";
import { withEvidence } from "@/server/cluster/sources/pod-evidence";
import type { Problem } from "@/server/cluster/health/types";

// Pods: kubectl's status, ready x/y, restarts with the last termination reason, and their problems.

export type PodInfo = {
  name: string;
  namespace: string;
  node: string | null;
  workload: string;
  phase: string;
  status: string;
  ready: number;
  total: number;
  /** The pod's Ready condition (what Services route on; the node controller clears it on a lost node). */
  podReady: boolean;
  restarts: number;
  /** The reason, time and container of the restart kubectl's RESTARTS "(x ago)" is about. */
  lastTermination: string | null;
  lastRestartAt: string | null;
  lastRestartContainer?: string;
  /** Every counted container's last termination, newest first; absent (not stored) for a pod that never restarted. */
  terminations?: readonly ContainerTermination[];
  createdAt: string | null;
  pending: string | null;
  memoryLimit: string | null;
  ip: string | null;
};

/** Maps a Pod object to the fields the portal shows. */
export function toPodInfo(p: RawPod): PodInfo {
  const s = podStatus(p);
  return {
    name: p.metadata.name,
    namespace: p.metadata.namespace ?? "default",
    node: p.spec?.nodeName ?? null,
    workload: workloadOf(p),
    phase: p.status?.phase ?? "",
    status: s.reason,
    ready: s.ready,
    total: s.total,
    podReady: condTrue(p, "Ready"),
    restarts: s.restarts,
    lastTermination: s.lastTermination,
    lastRestartAt: s.lastRestartAt,
    // Left undefined, not null or [], so the stored reading of 15,000 healthy pods does not grow.
    lastRestartContainer: s.lastRestartContainer ?? undefined,
    terminations: s.terminations.length ? s.terminations : undefined,
    createdAt: p.metadata.creationTimestamp ?? null,
    pending: pendingReason(p),
    memoryLimit: p.spec?.containers?.[0]?.resources?.limits?.memory ?? null,
    ip: p.status?.podIP ?? null,
  };
}

const FINE = new Set(["Running", "Completed", "Succeeded"]);
const IMAGE = new Set(["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"]);
const PENDING_GRACE_MS = 2 * 60_000;
const OOM_RECENT_MS = 60 * 60_000;

const ref = (p: PodInfo) => `${p.namespace}/${p.name}`;
const about = (p: PodInfo) => ({
  node: p.node ?? undefined,
  namespace: p.namespace,
  workload: p.workload,
  pod: p.name,
});

/** The OOM kill to report: the newest recent one among the containers counted in RESTARTS. */
function recentOom(p: PodInfo, now: number): { container: string | null; memoryLimit: string | null } | null {
  // Not only the last restart: a sidecar that restarted after the app container must not hide its OOM kill.
  const t = p.terminations?.find((x) => x.reason === "OOMKilled" && x.at && now - Date.parse(x.at) < OOM_RECENT_MS);
  if (t) return { container: t.container, memoryLimit: t.memoryLimit };
  return p.status === "OOMKilled" || p.status === "Init:OOMKilled"
    ? { container: null, memoryLimit: p.memoryLimit }
    : null;
}

/** One pod's problem, if it has one; pods on a NotReady node are left to the node's problem. */
export function podProblem(p: PodInfo, now: number, notReadyNodes: ReadonlySet<string> = new Set()): Problem | null {
  const base = { source: "pods" as const, ...about(p) };
  const from = p.lastRestartContainer ? ` in ${p.lastRestartContainer}` : "";
  const restarts = p.restarts
    ? `; restarted ${p.restarts} time${p.restarts === 1 ? "" : "s"}${p.lastTermination ? `, last exit ${p.lastTermination}${from}` : ""}`
    : "";
  // kubectl prefixes an init container's (or a sidecar's) state with "Init:"; the rule is the same.
  const state = p.status.startsWith("Init:") ? p.status.slice(5) : p.status;
  if (state === "CrashLoopBackOff")
    return {
      ...base,
      type: "pod-crashloop",
      severity: "warning",
      message: `Pod ${ref(p)} is in ${p.status}${restarts}`,
      hint: `Read the crashed container's log: kubectl logs --previous -n ${p.namespace} ${p.name}${p.lastRestartContainer ? ` -c ${p.lastRestartContainer}` : ""}`,
    };
  if (IMAGE.has(state))
    return {
      ...base,
      type: "pod-image",
      severity: "warning",
      message: `Pod ${ref(p)} cannot pull its image (${p.status})`,
      hint: "Check the image name and tag exist in GHCR and that the pull secret is valid.",
    };
  const oom = recentOom(p, now);
  if (oom)
    return {
      ...base,
      type: "pod-oomkilled",
      severity: "warning",
      message: `Pod ${ref(p)} was OOMKilled${oom.memoryLimit ? ` (memory limit ${oom.memoryLimit})` : ""}${oom.container ? ` in container ${oom.container}` : ""}${restarts}`,
      hint: "The container used more memory than its limit: raise the limit or find the leak.",
    };
  if (p.status === "Pending" || p.phase === "Pending" || p.phase === "") {
    const age = p.createdAt ? now - Date.parse(p.createdAt) : Infinity;
    if (age < PENDING_GRACE_MS) return null;
    const what =
      p.phase === ""
        ? "has no phase yet"
        : `is Pending${p.status !== "Pending" && p.status !== "SchedulingGated" ? ` (${p.status})` : ""}`;
    const hint =
      p.status === "SchedulingGated"
        ? "The scheduler ignores a pod until every entry of its spec.schedulingGates is removed by whatever added it."
        : "An Unschedulable pod needs room (cpu, memory) or a node matching its selectors and tolerations.";
    return {
      ...base,
      type: "pod-pending",
      severity: "warning",
      message: `Pod ${ref(p)} ${what}${p.pending ? `: ${p.pending}` : ""}`,
      hint,
    };
  }
  if (p.status === "Terminating")
    return {
      ...base,
      type: "pod-terminating",
      severity: "info",
      message: `Pod ${ref(p)} is Terminating`,
      hint: "A pod stuck in Terminating usually waits for a finalizer or an unreachable node.",
    };
  if (p.node && notReadyNodes.has(p.node)) return null;
  if (!FINE.has(p.status) || p.phase === "Failed" || p.phase === "Unknown")
    return {
      ...base,
      type: "pod-failed",
      severity: "warning",
      message: `Pod ${ref(p)} is ${p.status}${restarts}`,
      hint: `kubectl describe pod -n ${p.namespace} ${p.name}`,
    };
  if (p.status === "Running" && (p.ready < p.total || !p.podReady))
    return {
      ...base,
      type: "pod-not-ready",
      severity: "warning",
      message: `Pod ${ref(p)} is Running but not ready (${p.ready}/${p.total})`,
      hint: "Its readiness probe fails: see the pod's events and logs.",
    };
  return null;
}

/** Running with every container ready and the pod's Ready condition true. */
export function isReady(p: PodInfo): boolean {
  return p.status === "Running" && p.total > 0 && p.ready === p.total && p.podReady;
}

/** Workloads with no ready replica at all: the service they give is down, not just degraded. */
export function workloadProblems(pods: PodInfo[]): Problem[] {
  const groups = new Map<string, { ns: string; name: string; total: number; ready: number; node: string | null }>();
  for (const p of pods) {
    if (p.status === "Completed" || p.phase === "Succeeded") continue;
    const k = `${p.namespace}/${p.workload}`;
    const g = groups.get(k) ?? { ns: p.namespace, name: p.workload, total: 0, ready: 0, node: p.node };
    g.total++;
    if (isReady(p)) g.ready++;
    groups.set(k, g);
  }
  const out: Problem[] = [];
  for (const g of groups.values()) {
    if (g.ready > 0) continue;
    out.push({
      type: "workload-unavailable",
      severity: "critical",
      source: "pods",
      namespace: g.ns,
      workload: g.name,
      message: `${g.ns}/${g.name} has no ready replica (0/${g.total})`,
      hint: `kubectl get pods -n ${g.ns} -l growbin.app/workload=${g.name} -o wide`,
    });
  }
  return out;
}

/** Every pod problem of a list, plus the workloads left without a ready replica. */
export function podProblems(pods: PodInfo[], now: number, notReadyNodes: ReadonlySet<string> = new Set()): Problem[] {
  const out: Problem[] = [];
  for (const p of pods) {
    const pr = podProblem(p, now, notReadyNodes);
    if (pr) out.push(withEvidence(pr, p));
  }
  return [...workloadProblems(pods), ...out];
}

/** Lists pods (all namespaces, paged), optionally narrowed by a field selector such as spec.nodeName=x. */
export async function listPods(
  kc: KubeTarget,
  signal: AbortSignal,
  opts: { namespace?: string; fieldSelector?: string; labelSelector?: string } = {},
): Promise<PodInfo[]> {
  const path = opts.namespace ? `/api/v1/namespaces/${encodeURIComponent(opts.namespace)}/pods` : "/api/v1/pods";
  const q: Record<string, string> = {};
  if (opts.fieldSelector) q.fieldSelector = opts.fieldSelector;
  if (opts.labelSelector) q.labelSelector = opts.labelSelector;
  return kubeListAll<RawPod, PodInfo>(kc, path, q, signal, toPodInfo);
}
