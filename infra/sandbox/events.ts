// core/v1 Events as the cluster's components record them. The kubelet and kube-controller-manager use client-go's
// legacy recorder (tools/record: name "<object>.<hex unix nanos>", source {component, host}, and the correlator
// that folds a repeat into count/lastTimestamp); kube-scheduler uses the events.k8s.io API (tools/events), which
// core/v1 shows with eventTime, action, reportingComponent/Instance and an empty source.
import { microTime } from "./leases";
import type { Store } from "./store";
import type { K8sObject } from "./types";

// Who records an event: the component, its host for the kubelet, and the container a kubelet event is about.
export interface EventSource {
  component: string;
  host?: string;
  fieldPath?: string;
}

// The apiserver keeps events for an hour (--event-ttl); the sandbox keeps the newest ones up to a count.
const MAX_EVENTS = 2000;

function secs(d = new Date()): string {
  return d.toISOString().replace(/\.\d+Z$/, "Z");
}

// The reference an event carries; the kubelet names its Node by name in the uid field (describe node
// searches both, kubectl/pkg/describe NodeDescriber).
function involved(obj: K8sObject, src: EventSource) {
  const uid = obj.kind === "Node" && src.component === "kubelet" ? obj.metadata.name : obj.metadata.uid;
  return {
    kind: obj.kind,
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
    name: obj.metadata.name,
    uid,
    apiVersion: obj.apiVersion,
    resourceVersion: obj.metadata.resourceVersion,
    ...(src.fieldPath ? { fieldPath: src.fieldPath } : {}),
  };
}

// Records events into the store, correlating repeats and evicting the oldest beyond the cap.
export class EventRecorder {
  private seq = 0;
  // Stored event "ns/name" -> correlation key, oldest first; and the reverse, for the correlator.
  private order = new Map<string, string>();
  private byKey = new Map<string, string>();

  constructor(private readonly store: Store) {}

  private name(obj: K8sObject): string {
    return `${obj.metadata.name}.${(BigInt(Date.now()) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
  }

  private add(ev: K8sObject, key: string): void {
    const ref = `${ev.metadata.namespace}/${ev.metadata.name}`;
    this.store.put("events", ev);
    this.order.set(ref, key);
    this.byKey.set(key, ref);
    while (this.store.count("events") > MAX_EVENTS) {
      const oldest = this.order.keys().next().value ?? this.store.sortedKeys("events")[0];
      if (!oldest) break;
      const k = this.order.get(oldest);
      if (k !== undefined && this.byKey.get(k) === oldest) this.byKey.delete(k);
      this.order.delete(oldest);
      const [ns, name] = oldest.split("/") as [string, string];
      this.store.delete("events", name, ns);
    }
  }

  // A legacy-recorder event; `times` replays the same occurrence that many times through the correlator.
  record(
    obj: K8sObject,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
    src: EventSource,
    times = 1,
  ): void {
    const io = involved(obj, src);
    const key = [
      src.component,
      src.host,
      io.kind,
      io.namespace,
      io.name,
      io.uid,
      io.fieldPath,
      type,
      reason,
      message,
    ].join("\u0000");
    const t = secs();
    const prev = this.byKey.get(key);
    const [pns, pname] = prev ? (prev.split("/") as [string, string]) : ["", ""];
    if (prev && this.store.get("events", pname, pns)) {
      this.store.update("events", pname, pns, (e) => {
        e.count += times;
        e.lastTimestamp = t;
      });
      return;
    }
    this.add(
      {
        kind: "Event",
        apiVersion: "v1",
        metadata: { name: this.name(obj), namespace: obj.metadata.namespace ?? "default" },
        involvedObject: io,
        reason,
        message,
        source: { component: src.component, ...(src.host ? { host: src.host } : {}) },
        firstTimestamp: t,
        lastTimestamp: t,
        count: times,
        type,
        eventTime: null,
        reportingComponent: src.component,
        reportingInstance: src.host ?? "",
      },
      key,
    );
  }

  // An events.k8s.io event (kube-scheduler): a repeat becomes a series instead of a count.
  recordSeries(
    obj: K8sObject,
    type: "Normal" | "Warning",
    reason: string,
    action: string,
    note: string,
    controller: string,
    instance: string,
  ): void {
    const io = involved(obj, { component: controller });
    const key = [controller, instance, io.kind, io.namespace, io.name, io.uid, type, reason, action, note].join(
      "\u0000",
    );
    const prev = this.byKey.get(key);
    const [pns, pname] = prev ? (prev.split("/") as [string, string]) : ["", ""];
    if (prev && this.store.get("events", pname, pns)) {
      this.store.update("events", pname, pns, (e) => {
        e.series = { count: (e.series?.count ?? 1) + 1, lastObservedTime: microTime() };
      });
      return;
    }
    this.add(
      {
        kind: "Event",
        apiVersion: "v1",
        metadata: { name: this.name(obj), namespace: obj.metadata.namespace ?? "default" },
        involvedObject: io,
        reason,
        message: note,
        source: {},
        firstTimestamp: null,
        lastTimestamp: null,
        type,
        eventTime: microTime(),
        action,
        reportingComponent: controller,
        reportingInstance: instance,
      },
      key,
    );
  }

  // Forgets correlation state (after a teardown empties the events).
  reset(): void {
    this.order.clear();
    this.byKey.clear();
  }
}

// The kubelet's events for one container coming up (pkg/kubelet/kuberuntime and images/image_manager.go).
export function containerStarted(rec: EventRecorder, pod: K8sObject, pulled: boolean, times = 1): void {
  const c = pod.spec.containers[0];
  const src = { component: "kubelet", host: pod.spec.nodeName, fieldPath: `spec.containers{${c.name}}` };
  if (pulled)
    rec.record(
      pod,
      "Normal",
      "Pulled",
      `Successfully pulled image "${c.image}" in 2.814s (2.814s including waiting)`,
      src,
    );
  else rec.record(pod, "Normal", "Pulled", `Container image "${c.image}" already present on machine`, src, times);
  rec.record(pod, "Normal", "Created", `Created container ${c.name}`, src, times);
  rec.record(pod, "Normal", "Started", `Started container ${c.name}`, src, times);
}

// A kubelet event about a pod's (only) container.
export function kubeletPodEvent(
  rec: EventRecorder,
  pod: K8sObject,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
  times = 1,
): void {
  rec.record(
    pod,
    type,
    reason,
    message,
    { component: "kubelet", host: pod.spec.nodeName, fieldPath: `spec.containers{${pod.spec.containers[0].name}}` },
    times,
  );
}

// The kubelet's node events on start (pkg/kubelet/kubelet_node_status.go, kubelet.go).
export function kubeletStarting(rec: EventRecorder, node: K8sObject): void {
  const src = { component: "kubelet", host: node.metadata.name };
  const n = node.metadata.name;
  rec.record(node, "Normal", "Starting", "Starting kubelet.", src);
  rec.record(node, "Warning", "InvalidDiskCapacity", "invalid capacity 0 on image filesystem", src);
  for (const s of ["NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"])
    rec.record(node, "Normal", s, `Node ${n} status is now: ${s}`, src);
  rec.record(node, "Normal", "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods", src);
}
