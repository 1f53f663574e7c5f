// Server-side Tables (meta.k8s.io/v1): the columns and cells kube-apiserver's printers give each kind.
// Columns and cells copy kubernetes/kubernetes v1.28 pkg/printers/internalversion/printers.go (the apiserver
// prints with GenerateOptions{Wide: true}, so priority-1 cells are always sent and kubectl hides them);
// Applications copy Argo CD's CRD additionalPrinterColumns (manifests/crds/application-crd.yaml).
import type { Resource } from "./types";
import type { K8sObject } from "./types";

// One column definition, with every field the apiserver sends.
export interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const NAME_DOC =
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const AGE_DOC =
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

function col(
  name: string,
  description: string,
  opts: { type?: string; priority?: number; format?: string } = {},
): Column {
  return { name, type: opts.type ?? "string", format: opts.format ?? "", description, priority: opts.priority ?? 0 };
}
const NAME = col("Name", NAME_DOC, { format: "name" });
const AGE = col("Age", AGE_DOC);
const CONTAINERS = col("Containers", "Names of each container in the template.", { priority: 1 });
const IMAGES = col("Images", "Images referenced by each container in the template.", { priority: 1 });
const SELECTOR = (d: string) => col("Selector", d, { priority: 1 });

// HumanDuration from k8s.io/apimachinery/pkg/util/duration, which every Age cell uses.
export function humanDuration(ms: number): string {
  const secs = Math.floor(ms / 1000);
  if (secs < -1) return "<invalid>";
  if (secs < 0) return "0s";
  if (secs < 120) return `${secs}s`;
  const mins = Math.floor(secs / 60);
  if (mins < 10) return secs % 60 === 0 ? `${mins}m` : `${mins}m${secs % 60}s`;
  if (mins < 180) return `${mins}m`;
  const hours = Math.floor(mins / 60);
  if (hours < 8) return mins % 60 === 0 ? `${hours}h` : `${hours}h${mins % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

// translateTimestampSince: "<unknown>" for a missing timestamp.
export function since(ts: string | null | undefined, nowMs = Date.now()): string {
  if (!ts) return "<unknown>";
  return humanDuration(nowMs - Date.parse(ts));
}

const none = (s: string | undefined | null) => (s ? s : "<none>");
// labels.FormatLabels / metav1.FormatLabelSelector for a plain matchLabels map.
const formatLabels = (m: Record<string, string> | undefined) =>
  m && Object.keys(m).length
    ? Object.entries(m)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join(",")
    : "<none>";
const templateContainers = (o: K8sObject) =>
  (o.spec?.template?.spec?.containers ?? []) as { name: string; image: string }[];
const names = (o: K8sObject) =>
  templateContainers(o)
    .map((c) => c.name)
    .join(",");
const images = (o: K8sObject) =>
  templateContainers(o)
    .map((c) => c.image)
    .join(",");

// printPod: READY counts ready running containers; STATUS is the last waiting/terminated reason, else the phase.
function podCells(p: K8sObject, nowMs: number): unknown[] {
  const statuses: any[] = p.status?.containerStatuses ?? [];
  let reason: string = p.status?.reason || p.status?.phase || "";
  let restarts = 0;
  let ready = 0;
  let lastRestart = 0;
  let hasRunning = false;
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i];
    restarts += c.restartCount ?? 0;
    const fin = c.lastState?.terminated?.finishedAt;
    if (fin && Date.parse(fin) > lastRestart) lastRestart = Date.parse(fin);
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
    else if (c.state?.terminated)
      reason = c.state.terminated.signal
        ? `Signal:${c.state.terminated.signal}`
        : `ExitCode:${c.state.terminated.exitCode}`;
    else if (c.ready && c.state?.running) {
      hasRunning = true;
      ready++;
    }
  }
  if (reason === "Completed" && hasRunning)
    reason = (p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True")
      ? "Running"
      : "NotReady";
  if (p.metadata.deletionTimestamp) reason = p.status?.reason === "NodeLost" ? "Unknown" : "Terminating";
  const restartsCell =
    restarts !== 0 && lastRestart ? `${restarts} (${humanDuration(nowMs - lastRestart)} ago)` : String(restarts);
  const gates: any[] = p.spec?.readinessGates ?? [];
  const gatesCell = gates.length
    ? `${gates.filter((g) => (p.status?.conditions ?? []).some((c: any) => c.type === g.conditionType && c.status === "True")).length}/${gates.length}`
    : "<none>";
  return [
    p.metadata.name,
    `${ready}/${(p.spec?.containers ?? []).length}`,
    reason,
    restartsCell,
    since(p.metadata.creationTimestamp, nowMs),
    none(p.status?.podIPs?.[0]?.ip),
    none(p.spec?.nodeName),
    none(p.status?.nominatedNodeName),
    gatesCell,
  ];
}

// printNode: Ready/NotReady/Unknown, roles from node-role.kubernetes.io/* and kubernetes.io/role labels.
function nodeCells(n: K8sObject, nowMs: number): unknown[] {
  const ready = (n.status?.conditions ?? []).find((c: any) => c.type === "Ready");
  const status = [!ready ? "Unknown" : ready.status === "True" ? "Ready" : "NotReady"];
  if (n.spec?.unschedulable) status.push("SchedulingDisabled");
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(n.metadata.labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/") && k.length > "node-role.kubernetes.io/".length)
      roles.add(k.slice("node-role.kubernetes.io/".length));
    else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  const addr = (t: string) => none((n.status?.addresses ?? []).find((a: any) => a.type === t)?.address);
  const info = n.status?.nodeInfo ?? {};
  return [
    n.metadata.name,
    status.join(","),
    roles.size ? [...roles].sort().join(",") : "<none>",
    since(n.metadata.creationTimestamp, nowMs),
    info.kubeletVersion ?? "",
    addr("InternalIP"),
    addr("ExternalIP"),
    none(info.osImage),
    none(info.kernelVersion),
    none(info.containerRuntimeVersion),
  ];
}

// printEvent: new-API events (kube-scheduler) have eventTime and series instead of timestamps and count.
function eventCells(e: K8sObject, nowMs: number): unknown[] {
  const first = e.firstTimestamp ? since(e.firstTimestamp, nowMs) : since(e.eventTime, nowMs);
  let last = e.lastTimestamp ? since(e.lastTimestamp, nowMs) : first;
  let count = e.count ?? 0;
  if (e.series) {
    last = since(e.series.lastObservedTime, nowMs);
    count = e.series.count;
  } else if (!count) count = 1;
  const io = e.involvedObject ?? {};
  const target = io.name ? `${String(io.kind ?? "").toLowerCase()}/${io.name}` : String(io.kind ?? "").toLowerCase();
  // formatEventSource: component and host, each falling back to reportingComponent / reportingInstance.
  const src = [e.source?.component || e.reportingComponent, e.source?.host || e.reportingInstance]
    .filter(Boolean)
    .join(", ");
  return [
    last,
    e.type ?? "",
    e.reason ?? "",
    target,
    io.fieldPath ?? "",
    src,
    String(e.message ?? "").trim(),
    first,
    count,
    e.metadata.name,
  ];
}

function serviceCells(s: K8sObject, nowMs: number): unknown[] {
  const ports = (s.spec?.ports ?? [])
    .map((p: any) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`))
    .join(",");
  const external =
    s.spec?.type === "LoadBalancer"
      ? (s.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip ?? i.hostname).join(",") || "<pending>"
      : (s.spec?.externalIPs ?? []).join(",") || "<none>";
  return [
    s.metadata.name,
    s.spec?.type ?? "",
    none(s.spec?.clusterIP),
    external,
    ports || "<none>",
    since(s.metadata.creationTimestamp, nowMs),
    formatLabels(s.spec?.selector),
  ];
}

interface Printer {
  columns: Column[];
  cells(o: K8sObject, nowMs: number): unknown[];
}

const PRINTERS: Record<Resource, Printer> = {
  pods: {
    columns: [
      NAME,
      col("Ready", "The aggregate readiness state of this pod for accepting traffic."),
      col("Status", "The aggregate status of the containers in this pod."),
      col(
        "Restarts",
        "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
      ),
      AGE,
      col(
        "IP",
        "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.",
        { priority: 1 },
      ),
      col(
        "Node",
        "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename",
        { priority: 1 },
      ),
      col(
        "Nominated Node",
        "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.",
        { priority: 1 },
      ),
      col(
        "Readiness Gates",
        'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
        { priority: 1 },
      ),
    ],
    cells: podCells,
  },
  nodes: {
    columns: [
      NAME,
      col("Status", "The status of the node"),
      col("Roles", "The roles of the node"),
      AGE,
      col("Version", "Kubelet Version reported by the node."),
      col(
        "Internal-IP",
        "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/concepts/nodes/node/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).",
        { priority: 1 },
      ),
      col(
        "External-IP",
        "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/concepts/nodes/node/#addresses",
        { priority: 1 },
      ),
      col("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", {
        priority: 1,
      }),
      col("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", {
        priority: 1,
      }),
      col(
        "Container-Runtime",
        "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).",
        { priority: 1 },
      ),
    ],
    cells: nodeCells,
  },
  events: {
    columns: [
      col("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
      col("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
      col(
        "Reason",
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      ),
      col("Object", "The object that this event is about."),
      col(
        "Subobject",
        'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
        { priority: 1 },
      ),
      col("Source", "The component reporting this event. Should be a short machine understandable string.", {
        priority: 1,
      }),
      col("Message", "A human-readable description of the status of this operation."),
      col("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", {
        priority: 1,
      }),
      col("Count", "The number of times this event has occurred.", { type: "integer", priority: 1 }),
      { ...NAME, priority: 1 },
    ],
    cells: eventCells,
  },
  namespaces: {
    columns: [NAME, col("Status", "The status of the namespace"), AGE],
    cells: (o, t) => [o.metadata.name, o.status?.phase ?? "", since(o.metadata.creationTimestamp, t)],
  },
  services: {
    columns: [
      NAME,
      col("Type", "type determines how the Service is exposed."),
      col("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
      col(
        "External-IP",
        "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.",
      ),
      col("Port(s)", "The list of ports that are exposed by this service."),
      AGE,
      SELECTOR("Route service traffic to pods with label keys and values matching this selector."),
    ],
    cells: serviceCells,
  },
  secrets: {
    columns: [
      NAME,
      col("Type", "The type of the secret"),
      col("Data", "The number of entries in the secret", { type: "integer" }),
      AGE,
    ],
    cells: (o, t) => [
      o.metadata.name,
      o.type ?? "Opaque",
      Object.keys(o.data ?? {}).length,
      since(o.metadata.creationTimestamp, t),
    ],
  },
  leases: {
    columns: [NAME, col("Holder", "The holder of the lease"), AGE],
    cells: (o, t) => [o.metadata.name, o.spec?.holderIdentity ?? "", since(o.metadata.creationTimestamp, t)],
  },
  deployments: {
    columns: [
      NAME,
      col("Ready", "Number of the pod with ready state"),
      col(
        "Up-to-date",
        "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
        { type: "integer" },
      ),
      col(
        "Available",
        "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
        { type: "integer" },
      ),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR(
        "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.",
      ),
    ],
    cells: (o, t) => [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      o.status?.updatedReplicas ?? 0,
      o.status?.availableReplicas ?? 0,
      since(o.metadata.creationTimestamp, t),
      names(o),
      images(o),
      formatLabels(o.spec?.selector?.matchLabels),
    ],
  },
  statefulsets: {
    columns: [NAME, col("Ready", "Number of the pod with ready state"), AGE, CONTAINERS, IMAGES],
    cells: (o, t) => [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      since(o.metadata.creationTimestamp, t),
      names(o),
      images(o),
    ],
  },
  replicasets: {
    columns: [
      NAME,
      col("Desired", "Replicas is the number of desired replicas.", { type: "integer" }),
      col("Current", "Replicas is the most recently observed number of replicas.", { type: "integer" }),
      col("Ready", "readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.", {
        type: "integer",
      }),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR("Selector is a label query over pods that should match the replica count."),
    ],
    cells: (o, t) => [
      o.metadata.name,
      o.spec?.replicas ?? 0,
      o.status?.replicas ?? 0,
      o.status?.readyReplicas ?? 0,
      since(o.metadata.creationTimestamp, t),
      names(o),
      images(o),
      formatLabels(o.spec?.selector?.matchLabels),
    ],
  },
  daemonsets: {
    columns: [
      NAME,
      col("Desired", "The total number of nodes that should be running the daemon pod.", { type: "integer" }),
      col(
        "Current",
        "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.",
        { type: "integer" },
      ),
      col(
        "Ready",
        "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.",
        { type: "integer" },
      ),
      col("Up-to-date", "The total number of nodes that are running updated daemon pod", { type: "integer" }),
      col(
        "Available",
        "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)",
        { type: "integer" },
      ),
      col("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR("A label query over pods that are managed by the daemon set."),
    ],
    cells: (o, t) => {
      const s = o.status ?? {};
      return [
        o.metadata.name,
        s.desiredNumberScheduled ?? 0,
        s.currentNumberScheduled ?? 0,
        s.numberReady ?? 0,
        s.updatedNumberScheduled ?? 0,
        s.numberAvailable ?? 0,
        formatLabels(o.spec?.template?.spec?.nodeSelector),
        since(o.metadata.creationTimestamp, t),
        names(o),
        images(o),
        formatLabels(o.spec?.selector?.matchLabels),
      ];
    },
  },
  // apiextensions-apiserver's CRD table convertor: Name, then the CRD's additionalPrinterColumns (no Age: Argo CD lists columns).
  applications: {
    columns: [
      NAME,
      col("Sync Status", ""),
      col("Health Status", ""),
      col("Revision", "", { priority: 10 }),
      col("Project", "", { priority: 10 }),
    ],
    cells: (o) => [
      o.metadata.name,
      o.status?.sync?.status ?? null,
      o.status?.health?.status ?? null,
      o.status?.sync?.revision ?? null,
      o.spec?.project ?? null,
    ],
  },
};

// What a Table row carries as its object: includeObject=None, Metadata (the default) or Object.
export type IncludeObject = "None" | "Metadata" | "Object";

// Parses includeObject with the apiserver's error for anything else.
export function parseIncludeObject(v: string | null): IncludeObject | Error {
  if (v === null || v === "" || v === "Metadata") return "Metadata";
  if (v === "None" || v === "Object") return v;
  return new Error(`Invalid value: "${v}": must be 'Metadata', 'Object', 'None', or empty`);
}

function rowObject(o: K8sObject, json: string, inc: IncludeObject): string {
  if (inc === "None") return "";
  if (inc === "Object") return `,"object":${json}`;
  return `,"object":${JSON.stringify({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata })}`;
}

// The JSON of one row; `json` is the stored object's cached JSON.
export function tableRow(
  resource: Resource,
  o: K8sObject,
  json: string,
  inc: IncludeObject,
  nowMs = Date.now(),
): string {
  return `{"cells":${JSON.stringify(PRINTERS[resource].cells(o, nowMs))}${rowObject(o, json, inc)}}`;
}

// The JSON of a whole Table; columns are left null when the watch has already sent them (NoHeaders).
export function tableJson(resource: Resource, rows: string[], meta: Record<string, unknown>, headers = true): string {
  const columns = headers ? JSON.stringify(PRINTERS[resource].columns) : "null";
  return `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(meta)},"columnDefinitions":${columns},"rows":[${rows.join(",")}]}`;
}

// True when an Accept header asks for a meta.k8s.io Table before plain JSON, as `kubectl get` does.
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  for (const part of accept.split(",")) {
    const [type, ...params] = part.split(";").map((s) => s.trim());
    const p = Object.fromEntries(params.map((x) => x.split("=").map((s) => s.trim()) as [string, string]));
    if (type !== "application/json" && type !== "*/*") continue;
    if (p.as === "Table" && p.g === "meta.k8s.io" && (p.v === "v1" || p.v === "v1beta1")) return true;
    if (!p.as) return false;
  }
  return false;
}
