import "server-only";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { kubeListAll } from "@/server/cluster/kube/kube-http";
import { timestampSince } from "@/server/cluster/sources/kubectl-duration";
import type { Problem } from "@/server/cluster/health/types";

// Nodes: conditions, cordon, kubelet version, age and allocatable, and what is wrong with them. STATUS
// and ROLES are what `kubectl get nodes` prints: behaviour ported from kubernetes
// pkg/printers/internalversion/printers.go (printNode, findNodeRoles).

export type NodeCondition = { type: string; status: string; reason?: string; message?: string; since?: string };

export type NodeInfo = {
  name: string;
  tierLabel: string | null;
  role: string | null;
  /** kubectl's ROLES, sorted (empty prints "<none>"). */
  roles: string[];
  /** kubectl's STATUS: "Ready", "NotReady" (False or Unknown), "Unknown" (no Ready condition), ",SchedulingDisabled". */
  status: string;
  /** The Ready condition's own status (its reason is in `conditions`); null when the node has none. */
  ready: "True" | "False" | "Unknown" | null;
  conditions: NodeCondition[];
  cordoned: boolean;
  kubeletVersion: string | null;
  createdAt: string | null;
  internalIp: string | null;
  externalIp: string | null;
  osImage: string | null;
  kernelVersion: string | null;
  containerRuntime: string | null;
  instanceId: string | null;
  zone: string | null;
  allocatable: { cpu?: string; memory?: string; pods?: string; ephemeralStorage?: string };
};

type RawNode = {
  metadata: { name: string; labels?: Record<string, string>; creationTimestamp?: string };
  spec?: { unschedulable?: boolean; providerID?: string };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string };
    allocatable?: Record<string, string>;
    addresses?: { type: string; address: string }[];
  };
};

/** `aws:///<zone>/<instance-id>` -> its parts. */
export function parseProviderId(id: string | undefined): { zone: string; instanceId: string } | null {
  const m = /^aws:\/\/\/([^/]+)\/(i-[0-9a-f]+)$/.exec(id ?? "");
  return m ? { zone: m[1]!, instanceId: m[2]! } : null;
}

const ROLE_PREFIX = "node-role.kubernetes.io/";

/** findNodeRoles: every node-role.kubernetes.io/<role> label and a non-empty kubernetes.io/role, sorted. */
export function nodeRoles(labels: Record<string, string>): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith(ROLE_PREFIX)) {
      if (k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    } else if (k === "kubernetes.io/role" && v !== "") roles.add(v);
  }
  // Go sorts strings bytewise; comparing code units matches it for label keys, which are ASCII.
  return [...roles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Maps a Node object to the fields the portal shows. */
export function toNodeInfo(n: RawNode): NodeInfo {
  const conds = n.status?.conditions ?? [];
  // printNode keys conditions by type, so of two Ready conditions the last one counts.
  const readyCond = conds.findLast((c) => c.type === "Ready");
  const ready = readyCond
    ? readyCond.status === "True" || readyCond.status === "False"
      ? readyCond.status
      : "Unknown"
    : null;
  const status = [
    readyCond ? (readyCond.status === "True" ? "Ready" : "NotReady") : "Unknown",
    ...(n.spec?.unschedulable ? ["SchedulingDisabled"] : []),
  ].join(",");
  const info = n.status?.nodeInfo;
  const address = (type: string) => n.status?.addresses?.find((x) => x.type === type)?.address ?? null;
  const labels = n.metadata.labels ?? {};
  const pid = parseProviderId(n.spec?.providerID);
  const a = n.status?.allocatable ?? {};
  return {
    name: n.metadata.name,
    tierLabel: labels["growbin.app/tier"] ?? null,
    role: labels["growbin.app/role"] ?? ("node-role.kubernetes.io/control-plane" in labels ? "control-plane" : null),
    roles: nodeRoles(labels),
    status,
    ready,
    conditions: conds.map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      since: c.lastTransitionTime,
    })),
    cordoned: !!n.spec?.unschedulable,
    kubeletVersion: info?.kubeletVersion || null,
    createdAt: n.metadata.creationTimestamp ?? null,
    internalIp: address("InternalIP"),
    externalIp: address("ExternalIP"),
    osImage: info?.osImage || null,
    kernelVersion: info?.kernelVersion || null,
    containerRuntime: info?.containerRuntimeVersion || null,
    instanceId: pid?.instanceId ?? null,
    zone: pid?.zone ?? labels["topology.kubernetes.io/zone"] ?? null,
    allocatable: { cpu: a.cpu, memory: a.memory, pods: a.pods, ephemeralStorage: a["ephemeral-storage"] },
  };
}

/** The cells kubectl prints for a node: NAME, STATUS, ROLES, AGE, VERSION, and with -o wide the rest. */
export function nodeCells(n: NodeInfo, now: number, wide = false): string[] {
  const cells = [
    n.name,
    n.status,
    n.roles.length ? n.roles.join(",") : "<none>",
    timestampSince(n.createdAt, now),
    n.kubeletVersion ?? "",
  ];
  if (!wide) return cells;
  return [
    ...cells,
    n.internalIp ?? "<none>",
    n.externalIp ?? "<none>",
    n.osImage ?? "<unknown>",
    n.kernelVersion ?? "<unknown>",
    n.containerRuntime ?? "<unknown>",
  ];
}

const PRESSURE: Record<string, string> = {
  MemoryPressure: "is short of memory",
  DiskPressure: "is short of disk space",
  PIDPressure: "is running out of process IDs",
  NetworkUnavailable: "has no working pod network",
};

/** The problems of a list of nodes: NotReady, pressure conditions, cordoned. */
export function nodeProblems(nodes: NodeInfo[]): Problem[] {
  const out: Problem[] = [];
  for (const n of nodes) {
    const ready = n.conditions.findLast((c) => c.type === "Ready");
    if (n.ready !== "True") {
      const why = ready?.message ? `: ${ready.message}` : ready?.reason ? ` (${ready.reason})` : "";
      // kubectl prints NotReady for Ready=Unknown too; the portal adds the condition's status and reason.
      const state =
        n.ready === null
          ? "reports no Ready condition (kubectl: Unknown)"
          : `is NotReady${n.ready === "Unknown" ? " (Ready is Unknown)" : ""}`;
      out.push({
        type: "node-not-ready",
        severity: "critical",
        source: "nodes",
        node: n.name,
        message: `Node ${n.name} ${state}${why}`,
        hint:
          n.ready !== "False"
            ? "The kubelet stopped reporting: check the instance is running and reachable (Session Manager), then `systemctl status kubelet`."
            : "Check `kubectl describe node` and the kubelet and CNI on the node.",
      });
    }
    for (const c of n.conditions) {
      if (!(c.type in PRESSURE) || c.status !== "True") continue;
      out.push({
        type: `node-${c.type}`,
        severity: "warning",
        source: "nodes",
        node: n.name,
        message: `Node ${n.name} ${PRESSURE[c.type]} (${c.type})`,
        hint:
          c.type === "NetworkUnavailable"
            ? "Check calico-node on this node."
            : "The kubelet evicts pods under pressure: free space or memory, or move workloads.",
      });
    }
    if (n.cordoned) {
      out.push({
        type: "node-cordoned",
        severity: "warning",
        source: "nodes",
        node: n.name,
        message: `Node ${n.name} is cordoned: no new pods are scheduled on it`,
        hint: "`kubectl uncordon` it when maintenance is over.",
      });
    }
  }
  return out;
}

/** Lists nodes (paged) and maps them. */
export async function listNodes(kc: KubeTarget, signal: AbortSignal): Promise<NodeInfo[]> {
  return kubeListAll<RawNode, NodeInfo>(kc, "/api/v1/nodes", {}, signal, toNodeInfo);
}
