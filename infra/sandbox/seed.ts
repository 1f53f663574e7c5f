// The seed cluster (seed-summary.md): its 4 nodes (and the scale mode's extra workers), namespaces and queues.
// The workloads are in seed-workloads.ts.
import type { Phase } from "./types";

// One node of the topology and the EC2 instance under it.
export interface NodeSpec {
  name: string;
  role: "master" | "api-worker" | "async-worker" | "storage" | "worker";
  tier: string;
  instanceType: "t3.large" | "t3.medium";
  diskGb: number;
  zone: string;
  ip: string;
}

// The 4 seed nodes with the seed's instance types and disks.
export const SEED_NODES: NodeSpec[] = [
  {
    name: "master",
    role: "master",
    tier: "1",
    instanceType: "t3.large",
    diskGb: 80,
    zone: "ap-northeast-2a",
    ip: "10.0.1.10",
  },
  {
    name: "worker-1",
    role: "api-worker",
    tier: "2",
    instanceType: "t3.medium",
    diskGb: 40,
    zone: "ap-northeast-2b",
    ip: "10.0.2.11",
  },
  {
    name: "worker-2",
    role: "async-worker",
    tier: "2",
    instanceType: "t3.medium",
    diskGb: 40,
    zone: "ap-northeast-2c",
    ip: "10.0.3.12",
  },
  {
    name: "storage",
    role: "storage",
    tier: "3-4",
    instanceType: "t3.large",
    diskGb: 100,
    zone: "ap-northeast-2a",
    ip: "10.0.1.20",
  },
];

// Extra worker nodes for scale mode (benchmarks), spread over the 3 zones.
export function scaleNodes(total: number): NodeSpec[] {
  const nodes = [...SEED_NODES];
  const zones = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"];
  for (let i = 3; nodes.length < total; i++) {
    const n = nodes.length;
    nodes.push({
      name: `worker-${i}`,
      role: "worker",
      tier: "2",
      instanceType: "t3.medium",
      diskGb: 40,
      zone: zones[n % 3]!,
      ip: `10.0.${(n % 3) + 1 + 3 * Math.floor(n / 250)}.${(n % 250) + 2}`,
    });
  }
  return nodes.slice(0, Math.max(total, 4));
}

// Namespaces the cluster has, and the phase that creates each.
export const NAMESPACES: [string, Phase][] = [
  ["default", "kubernetes"],
  ["kube-system", "kubernetes"],
  ["kube-public", "kubernetes"],
  ["kube-node-lease", "kubernetes"],
  ["cert-manager", "addons"],
  ["monitoring", "monitoring"],
  ["argocd", "gitops"],
  ["messaging", "messaging"],
];

// The 5 queues of the seed; every work queue dead-letters to q.dlq.
export const QUEUES = ["q.ai", "q.batch", "q.api", "q.sched", "q.dlq"] as const;
// The work queues (all but the DLQ).
export const WORK_QUEUES = ["q.ai", "q.batch", "q.api", "q.sched"] as const;
