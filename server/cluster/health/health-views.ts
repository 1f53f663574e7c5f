import "server-only";
import { z } from "zod";
import { ValidationError } from "@/server/errors";
import type { HealthSnapshot, SourceState } from "@/server/cluster/health/collect-health";
import type { Ec2Instance } from "@/server/cluster/sources/ec2";
import type { NodeInfo } from "@/server/cluster/sources/nodes";
import type { PodInfo } from "@/server/cluster/sources/pods";
import type { TierHealth } from "@/server/cluster/health/rollup";
import type { Problem, SourceName } from "@/server/cluster/health/types";
import { findTier, nodeInTier, tierOfWorkload, TIERS } from "@/server/config/tiers";

// The JSON each page polls: cut from one snapshot to what that page shows (never all pods to the overview).

/**
 * `at` is when the sources were read; `stale` says why that is longer ago than it should be; `provisioned` is
 * false when EC2 answered that the cluster has no live instance (never provisioned, or torn down), null when unknown.
 */
type Meta = {
  cluster: string;
  at: string;
  durationMs: number;
  sources: Record<SourceName, SourceState>;
  stale: string | null;
  provisioned: boolean | null;
};
const meta = (h: HealthSnapshot & { stale?: string | null }): Meta => ({
  cluster: h.cluster,
  at: h.at,
  durationMs: h.durationMs,
  sources: h.sources,
  stale: h.stale ?? null,
  provisioned: isProvisioned(h),
});

/** False when EC2 answered with no live instance: such a cluster is "not provisioned", not "down". Null when EC2 is unknown. */
export function isProvisioned(h: Pick<HealthSnapshot, "sources" | "data">): boolean | null {
  if (!h.sources.ec2?.ok || !h.data.ec2) return null;
  return h.data.ec2.some((i) => i.state !== "terminated" && i.state !== "shutting-down");
}

/** The allow-listed nodes the cluster has registered, for Reset node: none before it is provisioned. */
export function resettableNodes(h: Pick<HealthSnapshot, "data">, allowed: readonly string[]): string[] {
  const names = new Set((h.data.nodes ?? []).map((n) => n.name));
  const present = allowed.filter((n) => names.has(n));
  return present.length && allowed.includes("all") ? [...present, "all"] : present;
}

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
    ...meta(h),
    status: h.status,
    tiers: h.tiers,
    queues: h.data.rabbitmq,
    argocd: apps && {
      total: apps.length,
      synced: apps.filter((a) => a.sync === "Synced").length,
      healthy: apps.filter((a) => a.health === "Healthy").length,
      outOfSync: apps.filter((a) => a.sync !== "Synced").map((a) => a.name),
      unhealthy: apps.filter((a) => a.health !== "Healthy").map((a) => a.name),
    },
  };
}

/** How a pod row is coloured: ok, succeeded (finished jobs), degraded (running, not ready) or down. */
export type PodTone = "ok" | "succeeded" | "degraded" | "down";

function podTone(p: PodInfo): PodTone {
  if (p.status === "Completed" || p.status === "Succeeded") return "succeeded";
  if (p.status === "Running") return p.ready === p.total && p.podReady ? "ok" : "degraded";
  return "down";
}

/** The pods table's filters; `status` is a pod status, or "problems" for every pod that is not ok. */
export type PodFilter = { namespace?: string; status?: string; text?: string };

/** One page of a tier's pods: at most POD_ROWS rows matching the filter, with the counts and choices. */
export type PodPage = {
  rows: (PodInfo & { tone: PodTone })[];
  matched: number;
  total: number;
  namespaces: string[];
  statuses: string[];
};

const podFilterSchema = z.object({
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "not a namespace name")
    .optional(),
  status: z
    .string()
    .regex(/^[A-Za-z0-9:/]{1,40}$/, "not a pod status")
    .optional(),
  text: z.string().max(100, "at most 100 characters").optional(),
});

/** The pod filters of a polled URL (empty ones ignored); a bad one is a ValidationError naming it. */
export function parsePodFilter(params: URLSearchParams): PodFilter {
  const r = podFilterSchema.safeParse(
    Object.fromEntries([...params].filter(([k, v]) => k in podFilterSchema.shape && v !== "")),
  );
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new ValidationError(`${String(issue.path[0])}: ${issue.message}`);
}

/** Rows per page: 15,000 pods in every poll would cost the server and the browser megabytes. */
export const POD_ROWS = 500;

function podPage(pods: PodInfo[], f: PodFilter): PodPage {
  const text = f.text?.trim().toLowerCase();
  const rows: PodPage["rows"] = [];
  let matched = 0;
  for (const p of pods) {
    if (f.namespace && p.namespace !== f.namespace) continue;
    const tone = podTone(p);
    if (f.status && (f.status === "problems" ? tone === "ok" || tone === "succeeded" : p.status !== f.status)) continue;
    if (
      text &&
      !p.name.toLowerCase().includes(text) &&
      !p.workload.toLowerCase().includes(text) &&
      !(p.node ?? "").includes(text)
    )
      continue;
    if (++matched <= POD_ROWS) rows.push({ ...p, tone });
  }
  return {
    rows,
    matched,
    total: pods.length,
    namespaces: [...new Set(pods.map((p) => p.namespace))].sort(),
    statuses: [...new Set(pods.map((p) => p.status))].sort(),
  };
}

export type TierView = Meta & {
  tier: TierHealth;
  nodes: NodeInfo[] | null;
  pods: PodPage | null;
  instances: Ec2Instance[] | null;
  problems: Problem[];
};

/** One tier: its nodes, the filtered page of its pods, its EC2 instances and every problem placed on it. */
export function tierView(h: HealthSnapshot, id: string, filter: PodFilter = {}): TierView | null {
  const def = findTier(id);
  const tier = h.tiers.find((t) => t.id === id);
  if (!def || !tier) return null;
  const nodes = h.data.nodes?.filter((n) => nodeInTier(n, def)) ?? null;
  const names = new Set((nodes ?? []).map((n) => n.name));
  const pods = h.data.pods?.filter((p) => tierOfWorkload(p.namespace, p.workload)?.id === id);
  return {
    ...meta(h),
    tier,
    nodes,
    pods: pods ? podPage(pods, filter) : null,
    instances: h.data.ec2?.filter((i) => (i.node ? names.has(i.node) || def.nodes.includes(i.node) : false)) ?? null,
    problems: tier.reasons,
  };
}

export type NodeView = Meta & {
  node: NodeInfo | null;
  instance: Ec2Instance | null;
  pods: PodPage | null;
  problems: Problem[];
  tiers: string[];
  region: string | null;
};

/** One node: conditions, its instance, its pods and the problems about it or its pods. */
export function nodeView(
  h: HealthSnapshot,
  name: string,
  region: string | null,
  filter: PodFilter = {},
): NodeView | null {
  const node = h.data.nodes?.find((n) => n.name === name) ?? null;
  const instance =
    h.data.ec2?.find((i) => (node?.instanceId ? i.instanceId === node.instanceId : i.node === name)) ?? null;
  if (!node && !instance && h.data.nodes) return null;
  const pods = h.data.pods?.filter((p) => p.node === name) ?? null;
  const podNames = new Set((pods ?? []).map((p) => `${p.namespace}/${p.name}`));
  const problems = h.problems.filter(
    (p) => p.node === name || (p.pod && p.namespace && podNames.has(`${p.namespace}/${p.pod}`)),
  );
  const tiers = node ? TIERS.filter((t) => nodeInTier(node, t)).map((t) => t.id) : [];
  return { ...meta(h), node, instance, pods: pods && podPage(pods, filter), problems, tiers, region };
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
