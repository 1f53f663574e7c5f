import "server-only";
import type { HealthSnapshot, SourceState } from "@/server/cluster/collect-health";
import type { Ec2Instance } from "@/server/cluster/ec2";
import type { NodeInfo } from "@/server/cluster/nodes";
import type { PodInfo } from "@/server/cluster/pods";
import { tiersOfProblem, type TierHealth } from "@/server/cluster/rollup";
import type { Problem, SourceName } from "@/server/cluster/types";
import { findTier, nodeInTier, tierOfWorkload, TIERS } from "@/server/config/tiers";

// The JSON each page polls: cut from one snapshot to what that page shows (never all pods to the overview).

type Meta = { cluster: string; at: string; durationMs: number; sources: Record<SourceName, SourceState> };
const meta = (h: HealthSnapshot): Meta => ({ cluster: h.cluster, at: h.at, durationMs: h.durationMs, sources: h.sources });

export type OverviewView = Meta & {
  status: HealthSnapshot["status"];
  tiers: TierHealth[];
  queues: NonNullable<HealthSnapshot["data"]["rabbitmq"]> | null;
  argocd: { total: number; synced: number; healthy: number; outOfSync: string[]; unhealthy: string[] } | null;
};

/** The overview: tiers with reasons, queues, and an Argo CD summary. */
export function overviewView(h: HealthSnapshot): OverviewView {
  const apps = h.data.argocd;
  return {
    ...meta(h), status: h.status, tiers: h.tiers, queues: h.data.rabbitmq,
    argocd: apps && {
      total: apps.length, synced: apps.filter((a) => a.sync === "Synced").length, healthy: apps.filter((a) => a.health === "Healthy").length,
      outOfSync: apps.filter((a) => a.sync !== "Synced").map((a) => a.name), unhealthy: apps.filter((a) => a.health !== "Healthy").map((a) => a.name),
    },
  };
}

export type TierView = Meta & { tier: TierHealth; nodes: NodeInfo[] | null; pods: PodInfo[] | null; instances: Ec2Instance[] | null; problems: Problem[] };

/** One tier: its nodes, its pods, its EC2 instances and every problem placed on it. */
export function tierView(h: HealthSnapshot, id: string): TierView | null {
  const def = findTier(id);
  const tier = h.tiers.find((t) => t.id === id);
  if (!def || !tier) return null;
  const nodes = h.data.nodes?.filter((n) => nodeInTier(n, def)) ?? null;
  const names = new Set((nodes ?? []).map((n) => n.name));
  return {
    ...meta(h), tier, nodes,
    pods: h.data.pods?.filter((p) => tierOfWorkload(p.namespace, p.workload)?.id === id) ?? null,
    instances: h.data.ec2?.filter((i) => (i.node ? names.has(i.node) || def.nodes.includes(i.node) : false)) ?? null,
    problems: tier.reasons,
  };
}

export type NodeView = Meta & { node: NodeInfo | null; instance: Ec2Instance | null; pods: PodInfo[] | null; problems: Problem[]; tiers: string[]; region: string | null };

/** One node: conditions, its instance, its pods and the problems about it or its pods. */
export function nodeView(h: HealthSnapshot, name: string, region: string | null): NodeView | null {
  const node = h.data.nodes?.find((n) => n.name === name) ?? null;
  const instance = h.data.ec2?.find((i) => (node?.instanceId ? i.instanceId === node.instanceId : i.node === name)) ?? null;
  if (!node && !instance && h.data.nodes) return null;
  const pods = h.data.pods?.filter((p) => p.node === name) ?? null;
  const podNames = new Set((pods ?? []).map((p) => `${p.namespace}/${p.name}`));
  const problems = h.problems.filter((p) => p.node === name || (p.pod && p.namespace && podNames.has(`${p.namespace}/${p.pod}`)));
  const tiers = node ? TIERS.filter((t) => nodeInTier(node, t)).map((t) => t.id) : [];
  return { ...meta(h), node, instance, pods, problems, tiers, region };
}

export type ArgoView = Meta & { apps: NonNullable<HealthSnapshot["data"]["argocd"]> | null; problems: Problem[] };

/** The Argo CD applications and their problems. */
export function argoView(h: HealthSnapshot): ArgoView {
  return { ...meta(h), apps: h.data.argocd, problems: h.problems.filter((p) => p.source === "argocd") };
}

export type QueuesView = Meta & { queues: NonNullable<HealthSnapshot["data"]["rabbitmq"]> | null; problems: Problem[] };

/** The queues table and their problems (the chart's series come from the stored samples). */
export function queuesView(h: HealthSnapshot): QueuesView {
  return { ...meta(h), queues: h.data.rabbitmq, problems: h.problems.filter((p) => p.source === "rabbitmq") };
}

/** The tier ids a problem belongs to (for the CLI's listing). */
export function problemTiers(h: HealthSnapshot, p: Problem): string[] {
  return tiersOfProblem(p, TIERS, h.data.nodes ?? []).map((t) => t.id);
}
