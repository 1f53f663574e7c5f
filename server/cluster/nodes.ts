import "server-only";
import type { KubeTarget } from "@/server/cluster/kubeconfig";
import { kubeListAll } from "@/server/cluster/kube-http";
import type { Problem } from "@/server/cluster/types";

// Nodes: conditions, cordon, kubelet version, age and allocatable, and what is wrong with them.

export type NodeCondition = { type: string; status: string; reason?: string; message?: string; since?: string };

export type NodeInfo = {
  name: string;
  tierLabel: string | null;
  role: string | null;
  ready: "True" | "False" | "Unknown";
  conditions: NodeCondition[];
  cordoned: boolean;
  kubeletVersion: string | null;
  createdAt: string | null;
  internalIp: string | null;
  instanceId: string | null;
  zone: string | null;
  allocatable: { cpu?: string; memory?: string; pods?: string; ephemeralStorage?: string };
};

type RawNode = {
  metadata: { name: string; labels?: Record<string, string>; creationTimestamp?: string };
  spec?: { unschedulable?: boolean; providerID?: string };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
    nodeInfo?: { kubeletVersion?: string };
    allocatable?: Record<string, string>;
    addresses?: { type: string; address: string }[];
  };
};

/** `aws:///<zone>/<instance-id>` -> its parts. */
export function parseProviderId(id: string | undefined): { zone: string; instanceId: string } | null {
  const m = /^aws:\/\/\/([^/]+)\/(i-[0-9a-f]+)$/.exec(id ?? "");
  return m ? { zone: m[1]!, instanceId: m[2]! } : null;
}

/** Maps a Node object to the fields the portal shows. */
export function toNodeInfo(n: RawNode): NodeInfo {
  const conds = n.status?.conditions ?? [];
  const ready = conds.find((c) => c.type === "Ready")?.status;
  const labels = n.metadata.labels ?? {};
  const pid = parseProviderId(n.spec?.providerID);
  const a = n.status?.allocatable ?? {};
  return {
    name: n.metadata.name,
    tierLabel: labels["growbin.app/tier"] ?? null,
    role: labels["growbin.app/role"] ?? ("node-role.kubernetes.io/control-plane" in labels ? "control-plane" : null),
    ready: ready === "True" || ready === "False" ? ready : "Unknown",
    conditions: conds.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, since: c.lastTransitionTime })),
    cordoned: !!n.spec?.unschedulable,
    kubeletVersion: n.status?.nodeInfo?.kubeletVersion ?? null,
    createdAt: n.metadata.creationTimestamp ?? null,
    internalIp: n.status?.addresses?.find((x) => x.type === "InternalIP")?.address ?? null,
    instanceId: pid?.instanceId ?? null,
    zone: pid?.zone ?? labels["topology.kubernetes.io/zone"] ?? null,
    allocatable: { cpu: a.cpu, memory: a.memory, pods: a.pods, ephemeralStorage: a["ephemeral-storage"] },
  };
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
    const ready = n.conditions.find((c) => c.type === "Ready");
    if (n.ready !== "True") {
      const why = ready?.message ? `: ${ready.message}` : ready?.reason ? ` (${ready.reason})` : "";
      out.push({
        type: "node-not-ready", severity: "critical", source: "nodes", node: n.name,
        message: `Node ${n.name} is NotReady${n.ready === "Unknown" ? " (status Unknown)" : ""}${why}`,
        hint: n.ready === "Unknown" ? "The kubelet stopped reporting: check the instance is running and reachable (Session Manager), then `systemctl status kubelet`." : "Check `kubectl describe node` and the kubelet and CNI on the node.",
      });
    }
    for (const c of n.conditions) {
      if (!(c.type in PRESSURE) || c.status !== "True") continue;
      out.push({
        type: `node-${c.type}`, severity: "warning", source: "nodes", node: n.name,
        message: `Node ${n.name} ${PRESSURE[c.type]} (${c.type})`,
        hint: c.type === "NetworkUnavailable" ? "Check calico-node on this node." : "The kubelet evicts pods under pressure: free space or memory, or move workloads.",
      });
    }
    if (n.cordoned) {
      out.push({ type: "node-cordoned", severity: "warning", source: "nodes", node: n.name, message: `Node ${n.name} is cordoned: no new pods are scheduled on it`, hint: "`kubectl uncordon` it when maintenance is over." });
    }
  }
  return out;
}

/** Lists nodes (paged) and maps them. */
export async function listNodes(kc: KubeTarget, signal: AbortSignal): Promise<NodeInfo[]> {
  return kubeListAll<RawNode, NodeInfo>(kc, "/api/v1/nodes", {}, signal, toNodeInfo);
}
