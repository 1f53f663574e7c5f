import "server-only";
import { kubeListAll } from "@/server/cluster/kube/kube-http";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { tierOfWorkload, type TierDef, TIERS } from "@/server/config/tiers";

// core/v1 Events about a pod, a node or a tier's objects, newest first, as `kubectl describe` finds and prints
// them: selected by involvedObject (describe.go searchEvents), FROM is the source component and host, or the
// reporting controller and instance for events.k8s.io events (formatEventSource), and the time is
// lastTimestamp, else the series' or the event's own time.

type RawEvent = {
  metadata: { name: string; namespace?: string; uid?: string; creationTimestamp?: string };
  involvedObject?: { kind?: string; name?: string; namespace?: string; fieldPath?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
};

/** One event as the page shows it. */
export type EventRow = {
  id: string;
  type: string;
  reason: string;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  source: string;
  message: string;
  object: string;
  fieldPath: string | null;
  namespace: string;
};

/** What events are about: one pod (by uid too when known, so a re-created pod's namesake's are left out), one node, or a tier. */
export type EventScope =
  | { kind: "pod"; namespace: string; name: string; uid?: string | null }
  | { kind: "node"; name: string }
  | { kind: "tier"; tier: TierDef; nodes: string[] };

/** At most this many, newest first: the apiserver keeps an hour of events (--event-ttl) and a tier can hold thousands. */
export const EVENT_ROWS = 200;

const first = (...xs: (string | null | undefined)[]) => xs.find((x) => x) ?? "";

/** Maps a core/v1 Event to a row (pure: tested on recorded events). */
export function toEventRow(e: RawEvent): EventRow {
  const component = first(e.source?.component, e.reportingComponent);
  const host = first(e.source?.host, e.reportingInstance);
  const io = e.involvedObject ?? {};
  const lastSeen =
    first(e.lastTimestamp, e.series?.lastObservedTime, e.eventTime, e.firstTimestamp, e.metadata.creationTimestamp) ||
    null;
  return {
    id: e.metadata.uid ?? `${e.metadata.namespace}/${e.metadata.name}`,
    type: e.type ?? "Normal",
    reason: e.reason ?? "",
    count: e.series?.count ?? e.count ?? 1,
    firstSeen: first(e.firstTimestamp, e.eventTime, e.metadata.creationTimestamp) || null,
    lastSeen,
    source: host ? `${component}, ${host}` : component,
    message: (e.message ?? "").trim(),
    object: `${io.kind ?? "?"}/${io.name ?? "?"}`,
    fieldPath: io.fieldPath ?? null,
    namespace: e.metadata.namespace ?? "",
  };
}

/** Newest first (by last seen), then by name so equal times keep one order between reads. */
export function newestFirst(rows: EventRow[]): EventRow[] {
  return rows.sort(
    (a, b) => (Date.parse(b.lastSeen ?? "") || 0) - (Date.parse(a.lastSeen ?? "") || 0) || a.id.localeCompare(b.id),
  );
}

// Which tier an object named in an event belongs to: a listed workload by its name or its pods' and
// ReplicaSets' name prefix (the longest match), else its namespace.
function tierOfObject(namespace: string, name: string): TierDef | undefined {
  let best: string | undefined;
  for (const t of TIERS)
    for (const w of t.workloads) {
      if (
        w.namespace === namespace &&
        (name === w.name || name.startsWith(`${w.name}-`)) &&
        (!best || w.name.length > best.length)
      )
        best = w.name;
    }
  return tierOfWorkload(namespace, best);
}

const selector = (fields: Record<string, string | null | undefined>) =>
  Object.entries(fields)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

/** Lists the events of a scope, newest first, at most EVENT_ROWS. */
export async function listEvents(kt: KubeTarget, scope: EventScope, signal: AbortSignal): Promise<EventRow[]> {
  const list = (path: string, fieldSelector: string) =>
    kubeListAll<RawEvent, EventRow>(kt, path, fieldSelector ? { fieldSelector } : {}, signal, toEventRow);
  let rows: EventRow[];
  if (scope.kind === "pod") {
    const ns = encodeURIComponent(scope.namespace);
    rows = await list(
      `/api/v1/namespaces/${ns}/events`,
      selector({
        "involvedObject.kind": "Pod",
        "involvedObject.name": scope.name,
        "involvedObject.namespace": scope.namespace,
        "involvedObject.uid": scope.uid,
      }),
    );
  } else if (scope.kind === "node") {
    // Node events live in "default" (the kubelet) or elsewhere (controllers): describe node searches every namespace.
    rows = await list("/api/v1/events", selector({ "involvedObject.kind": "Node", "involvedObject.name": scope.name }));
  } else {
    const { tier, nodes } = scope;
    const namespaces = [...new Set([...tier.namespaces, ...tier.workloads.map((w) => w.namespace)])];
    const wanted = new Set(nodes);
    const [nodeRows, ...nsRows] = await Promise.all([
      nodes.length ? list("/api/v1/events", "involvedObject.kind=Node") : Promise.resolve([]),
      ...namespaces.map((ns) => list(`/api/v1/namespaces/${encodeURIComponent(ns)}/events`, "")),
    ]);
    rows = [
      ...nodeRows!.filter((r) => wanted.has(r.object.slice("Node/".length))),
      ...nsRows
        .flat()
        .filter(
          (r) =>
            !r.object.startsWith("Node/") &&
            tierOfObject(r.namespace, r.object.slice(r.object.indexOf("/") + 1))?.id === tier.id,
        ),
    ];
  }
  return newestFirst(rows).slice(0, EVENT_ROWS);
}
