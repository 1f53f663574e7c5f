import "server-only";
import { timestampSince } from "@/server/cluster/sources/kubectl-duration";

// The kubectl printer's pod columns: READY, STATUS and RESTARTS as `kubectl get pods` prints them.
// Behaviour ported from kubernetes pkg/printers/internalversion/printers.go, printPod (with native
// sidecars: init containers with restartPolicy Always, matched to the spec by name).

type ContainerState = {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string; message?: string };
};
export type RawContainerStatus = {
  name: string;
  ready?: boolean;
  restartCount?: number;
  started?: boolean;
  state?: ContainerState;
  lastState?: ContainerState;
};
type ContainerSpec = { name: string; restartPolicy?: string; resources?: { limits?: Record<string, string> } };

export type RawPod = {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    ownerReferences?: { kind: string; name: string }[];
  };
  spec?: { nodeName?: string; containers?: ContainerSpec[]; initContainers?: ContainerSpec[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    podIP?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: RawContainerStatus[];
    initContainerStatuses?: RawContainerStatus[];
  };
};

/** One container's last termination (what it restarted from), with its memory limit for OOM hints. */
export type ContainerTermination = {
  container: string;
  reason: string;
  exitCode: number | null;
  at: string | null;
  memoryLimit: string | null;
};

/**
 * kubectl's STATUS (`reason`), READY x/y and RESTARTS, plus the restart's details: `lastRestartAt` is the
 * "(5m ago)" of RESTARTS, and `lastTermination`/`lastRestartContainer` come from the container it is
 * about. `terminations` holds the last termination of every container counted in RESTARTS, newest first.
 */
export type PodStatus = {
  reason: string;
  ready: number;
  total: number;
  restarts: number;
  lastTermination: string | null;
  lastRestartAt: string | null;
  lastRestartContainer: string | null;
  terminations: readonly ContainerTermination[];
};

/** Some condition of this type is True (kubectl's hasPodReadyCondition). */
export function condTrue(p: RawPod, type: string): boolean {
  return !!p.status?.conditions?.some((c) => c.type === type && c.status === "True");
}

// kubectl's isPodInitializedConditionTrue: the first Initialized condition decides.
const initialized = (p: RawPod) => p.status?.conditions?.find((c) => c.type === "Initialized")?.status === "True";

const terminal = (phase: string) => phase === "Succeeded" || phase === "Failed";
const exitText = (t: NonNullable<ContainerState["terminated"]>, prefix = "") =>
  t.reason ? `${prefix}${t.reason}` : t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode ?? 0}`;

const NO_TERMINATIONS: readonly ContainerTermination[] = Object.freeze([]);
// kubectl matches statuses to the spec by name; of two specs with one name the last wins (a Go map).
const specOf = (specs: ContainerSpec[] | undefined, name: string) => specs?.findLast((s) => s.name === name);

/** Restarts and last terminations of a set of containers, as printPod sums them. */
class RestartTally {
  restarts = 0;
  last: ContainerTermination | null = null;
  lastMs = -Infinity;
  terms: ContainerTermination[] | null = null;
  add(c: RawContainerStatus, specs: ContainerSpec[] | undefined) {
    this.restarts += c.restartCount ?? 0;
    const t = c.lastState?.terminated;
    if (!t) return;
    const term = {
      container: c.name,
      reason: exitText(t),
      exitCode: t.exitCode ?? null,
      at: t.finishedAt ?? null,
      memoryLimit: specOf(specs, c.name)?.resources?.limits?.memory ?? null,
    };
    (this.terms ??= []).push(term);
    // kubectl keeps the first of equal times (Before is strict) and ignores a missing finishedAt.
    const ms = t.finishedAt ? Date.parse(t.finishedAt) : NaN;
    if (ms > this.lastMs) {
      this.lastMs = ms;
      this.last = term;
    }
  }
  merge(o: RestartTally) {
    this.restarts += o.restarts;
    if (o.terms) (this.terms ??= []).push(...o.terms);
    if (o.lastMs > this.lastMs) {
      this.lastMs = o.lastMs;
      this.last = o.last;
    }
  }
}

/** printPod's READY, STATUS and RESTARTS for one pod. */
export function podStatus(p: RawPod): PodStatus {
  const st = p.status ?? {};
  const phase = st.phase ?? "";
  let reason = st.reason || phase;
  // A pod held by spec.schedulingGates carries {PodScheduled, reason SchedulingGated}.
  for (const c of st.conditions ?? [])
    if (c.type === "PodScheduled" && c.reason === "SchedulingGated") reason = "SchedulingGated";

  const inits = p.spec?.initContainers;
  let total = p.spec?.containers?.length ?? 0;
  for (const c of inits ?? []) if (c.restartPolicy === "Always") total++;

  let ready = 0;
  let initializing = false;
  const all = new RestartTally();
  const sidecars = new RestartTally();
  const initStatuses = st.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    const sidecar = specOf(inits, c.name)?.restartPolicy === "Always";
    all.add(c, inits);
    if (sidecar) sidecars.add(c, inits);
    const s = c.state ?? {};
    if (s.terminated && (s.terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (s.terminated) reason = exitText(s.terminated, "Init:");
    else if (s.waiting?.reason && s.waiting.reason !== "PodInitializing") reason = `Init:${s.waiting.reason}`;
    else reason = `Init:${i}/${inits?.length ?? 0}`;
    initializing = true;
    break;
  }

  let tally = all;
  if (!initializing || initialized(p)) {
    // Once initialized, only sidecars' restarts still count: plain init containers are done.
    tally = sidecars;
    const specs = p.spec?.containers;
    const apps = new RestartTally();
    let hasRunning = false;
    const statuses = st.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      apps.add(c, specs);
      const s = c.state ?? {};
      if (s.waiting?.reason) reason = s.waiting.reason;
      else if (s.terminated) reason = exitText(s.terminated);
      else if (c.ready && s.running) {
        hasRunning = true;
        ready++;
      }
    }
    tally.merge(apps);
    if (reason === "Completed" && hasRunning) reason = condTrue(p, "Ready") ? "Running" : "NotReady";
  }

  if (p.metadata.deletionTimestamp && st.reason === "NodeLost") reason = "Unknown";
  else if (p.metadata.deletionTimestamp && !terminal(phase)) reason = "Terminating";
  const last = tally.last;
  const terms = tally.terms;
  const terminations = !terms
    ? NO_TERMINATIONS
    : terms.length > 1
      ? terms.sort((a, b) => (Date.parse(b.at ?? "") || 0) - (Date.parse(a.at ?? "") || 0))
      : terms;
  return {
    reason,
    ready,
    total,
    restarts: tally.restarts,
    lastTermination: last?.reason ?? null,
    lastRestartAt: last?.at ?? null,
    lastRestartContainer: last?.container ?? null,
    terminations,
  };
}

/** The cells kubectl prints for a pod: NAME, READY, STATUS, RESTARTS ("3 (10s ago)") and AGE. */
export function podCells(
  p: {
    name: string;
    ready: number;
    total: number;
    status: string;
    restarts: number;
    lastRestartAt: string | null;
    createdAt: string | null;
  },
  now: number,
): [string, string, string, string, string] {
  const restarts =
    p.restarts !== 0 && p.lastRestartAt
      ? `${p.restarts} (${timestampSince(p.lastRestartAt, now)} ago)`
      : String(p.restarts);
  return [p.name, `${p.ready}/${p.total}`, p.status, restarts, timestampSince(p.createdAt, now)];
}

/** Why a Pending pod waits: the unscheduled condition's reason and message, if any. */
export function pendingReason(p: RawPod): string | null {
  if (p.status?.phase !== "Pending") return null;
  const c = p.status.conditions?.find((x) => x.type === "PodScheduled" && x.status === "False");
  if (c) return `${c.reason ?? "Unschedulable"}${c.message ? `: ${c.message}` : ""}`;
  const w = p.status.containerStatuses?.find((x) => x.state?.waiting?.reason)?.state?.waiting;
  return w ? `${w.reason}${w.message ? `: ${w.message}` : ""}` : null;
}

const HASHED = /-[a-z0-9]{5,10}$/;

/** The controller a pod belongs to (growbin.app/workload label, else its owner's name). */
export function workloadOf(p: RawPod): string {
  const label = p.metadata.labels?.["growbin.app/workload"];
  if (label) return label;
  const owner = p.metadata.ownerReferences?.[0];
  if (!owner) return p.metadata.name;
  if (owner.kind === "ReplicaSet") return owner.name.replace(HASHED, "");
  if (owner.kind === "Node")
    return p.metadata.name.endsWith(`-${owner.name}`)
      ? p.metadata.name.slice(0, -owner.name.length - 1)
      : p.metadata.name;
  return owner.name;
}
