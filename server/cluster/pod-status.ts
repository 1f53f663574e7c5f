import "server-only";

// The kubectl printer's pod status (kubectl printPod, as headlamp's getDetailedStatus ports it).

type ContainerState = {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string; message?: string };
};
export type RawContainerStatus = { name: string; ready?: boolean; restartCount?: number; started?: boolean; state?: ContainerState; lastState?: ContainerState };

export type RawPod = {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; creationTimestamp?: string; deletionTimestamp?: string; ownerReferences?: { kind: string; name: string }[] };
  spec?: { nodeName?: string; containers?: { name: string; resources?: { limits?: Record<string, string> } }[]; initContainers?: { name: string; restartPolicy?: string }[] };
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

/** kubectl's STATUS column, plus READY x/y, RESTARTS and the last restart's reason. */
export type PodStatus = { reason: string; ready: number; total: number; restarts: number; lastTermination: string | null; lastRestartAt: string | null };

export function condTrue(p: RawPod, type: string): boolean {
  return !!p.status?.conditions?.some((c) => c.type === type && c.status === "True");
}

/** Ports printPod: init containers first, then containers in reverse, then Terminating/Unknown. */
export function podStatus(p: RawPod): PodStatus {
  const st = p.status ?? {};
  const total = p.spec?.containers?.length ?? 0;
  let restarts = 0;
  let ready = 0;
  let lastRestartAt: string | null = null;
  let lastTermination: string | null = null;
  let reason = st.reason || st.phase || "Unknown";
  const noteLast = (c: RawContainerStatus) => {
    const t = c.lastState?.terminated;
    if (t?.finishedAt && (!lastRestartAt || t.finishedAt > lastRestartAt)) {
      lastRestartAt = t.finishedAt;
      lastTermination = t.reason ?? (t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? "?"}`);
    }
  };

  const inits = p.spec?.initContainers ?? [];
  let initializing = false;
  (st.initContainerStatuses ?? []).some((c, i) => {
    restarts += c.restartCount ?? 0;
    noteLast(c);
    const sidecar = inits[i]?.restartPolicy === "Always";
    if (c.state?.terminated && c.state.terminated.exitCode === 0) return false;
    if (sidecar && c.started) return false;
    if (c.state?.terminated) {
      const t = c.state.terminated;
      reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== "PodInitializing") {
      reason = `Init:${c.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${inits.length}`;
    }
    initializing = true;
    return true;
  });

  if (!initializing || condTrue(p, "Initialized")) {
    restarts = 0;
    let hasRunning = false;
    for (const c of [...(st.containerStatuses ?? [])].reverse()) {
      restarts += c.restartCount ?? 0;
      noteLast(c);
      const s = c.state ?? {};
      if (s.waiting?.reason) reason = s.waiting.reason;
      else if (s.terminated?.reason) reason = s.terminated.reason;
      else if (s.terminated) reason = s.terminated.signal ? `Signal:${s.terminated.signal}` : `ExitCode:${s.terminated.exitCode}`;
      else if (c.ready && s.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === "Completed" && hasRunning) reason = condTrue(p, "Ready") ? "Running" : "NotReady";
  }

  if (p.metadata.deletionTimestamp && st.reason === "NodeLost") reason = "Unknown";
  else if (p.metadata.deletionTimestamp) reason = "Terminating";
  return { reason, ready, total, restarts, lastTermination, lastRestartAt };
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
  if (owner.kind === "Node") return p.metadata.name.endsWith(`-${owner.name}`) ? p.metadata.name.slice(0, -owner.name.length - 1) : p.metadata.name;
  return owner.name;
}
