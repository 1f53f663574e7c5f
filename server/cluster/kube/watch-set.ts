import "server-only";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { startInformer, type Informer } from "@/server/cluster/kube/watch";
import { toNodeInfo, type NodeInfo } from "@/server/cluster/sources/nodes";
import { toPodInfo, type PodInfo } from "@/server/cluster/sources/pods";
import type { RawPod } from "@/server/cluster/sources/pod-status";

// The informers the health collector keeps for a cluster while somebody looks at it: pods and nodes (which the
// nodes and pods sources read instead of listing), and events (whose changes, like theirs, prompt a new reading).
// Changes are coalesced: `onChange` runs once per `debounceMs` burst, so a rollout's hundred pod updates cost
// one reading, not a hundred.

export type WatchSet = {
  nodes: Informer<NodeInfo>;
  pods: Informer<PodInfo>;
  /** Events only prompt a reading (and the open pages' events tables to refetch): only their keys and
   * resourceVersions are kept, so every write of one (a BackOff's count going up) still counts as a change. */
  events: Informer<string>;
  /** Resolves once nodes and pods were listed (rejects when stopped first). */
  synced(): Promise<void>;
  /** Increments on every change to a cache (a list or an event), per informer. */
  version(which: "nodes" | "pods" | "events"): number;
  stop(): void;
};

export type WatchSetOptions = {
  /** A coalesced change; `which` names the informers that changed since the last call. */
  onChange?: (which: Set<"nodes" | "pods" | "events">) => void;
  debounceMs?: number;
  backoff?: { minMs: number; maxMs: number };
  timeoutSeconds?: () => number;
};

/** Starts the three informers of one cluster. */
export function startWatchSet(kt: KubeTarget, o: WatchSetOptions = {}): WatchSet {
  const debounceMs = o.debounceMs ?? 250;
  const versions = { nodes: 0, pods: 0, events: 0 };
  let pending = new Set<"nodes" | "pods" | "events">();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const changed = (which: "nodes" | "pods" | "events") => () => {
    versions[which]++;
    pending.add(which);
    if (timer || stopped || !o.onChange) return;
    timer = setTimeout(() => {
      timer = null;
      const which = pending;
      pending = new Set();
      if (!stopped) o.onChange?.(which);
    }, debounceMs);
  };
  const common = { backoff: o.backoff, timeoutSeconds: o.timeoutSeconds };
  const nodes = startInformer<Parameters<typeof toNodeInfo>[0], NodeInfo>(kt, {
    path: "/api/v1/nodes",
    map: toNodeInfo,
    onChange: changed("nodes"),
    ...common,
  });
  const pods = startInformer<RawPod, PodInfo>(kt, {
    path: "/api/v1/pods",
    map: toPodInfo,
    onChange: changed("pods"),
    ...common,
  });
  // An hour of events (2,000 at 500 nodes) was kept as rows nobody read: only the change counts.
  const events = startInformer<{ metadata: { name: string; namespace?: string; resourceVersion?: string } }, string>(
    kt,
    { path: "/api/v1/events", map: (e) => e.metadata.resourceVersion ?? "", onChange: changed("events"), ...common },
  );
  return {
    nodes,
    pods,
    events,
    synced: () => Promise.all([nodes.synced(), pods.synced()]).then(() => undefined),
    version: (which) => versions[which],
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      nodes.stop();
      pods.stop();
      events.stop();
    },
  };
}
