import "server-only";
import { nodeInTier, tierOfWorkload, type TierDef, type TierId } from "@/server/config/tiers";
import { SOURCES, sourceDef, type HealthData, type SourceDef } from "@/server/cluster/sources/registry";
import { isReady } from "@/server/cluster/sources/pods";
import { sortProblems, type HealthStatus, type Problem, type SourceName } from "@/server/cluster/health/types";

// Rolls every source's problems up into one status per tier, keeping the reasons that decided it.

export type TierHealth = {
  id: TierId;
  title: string;
  summary: string;
  status: HealthStatus;
  /** Worst first; severity is the one that counted for this tier. */
  reasons: Problem[];
  unknown: { source: SourceName; error: string }[];
  nodes: { name: string; ready: boolean }[];
  pods: { total: number; ready: number };
};

const NODE_LEVEL = new Set(["node-not-ready", "instance-not-running", "node-without-instance"]);

/** The tiers a problem belongs to: its queue, then its workload or namespace, then its node. */
export function tiersOfProblem(
  p: Problem,
  tiers: TierDef[],
  nodes: { name: string; tierLabel: string | null }[],
  sources: readonly SourceDef[] = SOURCES,
): TierDef[] {
  if (p.queue) return tiers.filter((t) => t.queues.includes(p.queue!)).slice(0, 1);
  if (p.namespace) {
    const t = tierOfWorkload(p.namespace, p.workload, tiers);
    if (t) return [t];
  }
  if (p.node) {
    const n = nodes.find((x) => x.name === p.node) ?? { name: p.node, tierLabel: null };
    return tiers.filter((t) => nodeInTier(n, t));
  }
  // Anything else goes where its source's entry says (an alert naming no tier's object: the monitoring stack's tier).
  const unplaced = sourceDef(p.source, sources)?.tiers.unplaced;
  return unplaced ? tiers.filter((t) => t.id === unplaced) : [];
}

const rank: Record<HealthStatus, number> = { down: 0, degraded: 1, unknown: 2, ok: 3 };

/** One status per tier: down on a critical reason, degraded on a warning, unknown when a source it needs failed. */
export function rollupTiers(
  tiers: TierDef[],
  data: HealthData,
  problems: Problem[],
  failed: { source: SourceName; error: string }[],
  sources: readonly SourceDef[] = SOURCES,
): TierHealth[] {
  const nodes = data.nodes ?? [];
  const ec2Down = new Set((data.ec2 ?? []).filter((i) => i.state !== "running" && i.node).map((i) => i.node!));
  const badNodes = new Set(
    problems.filter((p) => p.node && NODE_LEVEL.has(p.type) && p.severity === "critical").map((p) => p.node!),
  );
  return tiers.map((tier) => {
    const mine = nodes.filter((n) => nodeInTier(n, tier));
    const healthyLeft = mine.some((n) => !badNodes.has(n.name));
    const reasons: Problem[] = [];
    for (const p of problems) {
      if (!tiersOfProblem(p, tiers, nodes, sources).some((t) => t.id === tier.id)) continue;
      // One node down in a tier that still has a working node degrades it; the last one takes it down.
      const sev = p.severity === "critical" && NODE_LEVEL.has(p.type) && healthyLeft ? "warning" : p.severity;
      reasons.push(sev === p.severity ? p : { ...p, severity: sev });
    }
    if (data.nodes && !mine.length)
      reasons.push({
        type: "tier-no-nodes",
        severity: "critical",
        source: "nodes",
        message: `No node of tier ${tier.id} is registered (expected ${tier.nodes.join(", ")})`,
        hint: "The cluster may not be provisioned yet, or its nodes did not join.",
      });
    const pods = (data.pods ?? []).filter(
      (p) => tierOfWorkload(p.namespace, p.workload, tiers)?.id === tier.id && p.status !== "Completed",
    );
    const unknown = failed.filter((f) => {
      const on = sourceDef(f.source, sources)?.tiers.unknownIn ?? [];
      return on === "all" || on.includes(tier.id);
    });
    // Node-level problems explain the pod and workload ones they cause: they come first.
    const sorted = sortProblems(reasons).sort(
      (a, b) => Number(NODE_LEVEL.has(b.type)) - Number(NODE_LEVEL.has(a.type)),
    );
    const status: HealthStatus = sorted.some((r) => r.severity === "critical")
      ? "down"
      : sorted.some((r) => r.severity === "warning")
        ? "degraded"
        : unknown.length
          ? "unknown"
          : "ok";
    return {
      id: tier.id,
      title: tier.title,
      summary: tier.summary,
      status,
      reasons: sorted,
      unknown,
      nodes: mine.map((n) => ({ name: n.name, ready: n.ready === "True" && !ec2Down.has(n.name) })),
      pods: { total: pods.length, ready: pods.filter(isReady).length },
    };
  });
}

/** The worst of several statuses. */
export function worstStatus(list: HealthStatus[]): HealthStatus {
  return list.reduce<HealthStatus>((w, s) => (rank[s] < rank[w] ? s : w), "ok");
}
