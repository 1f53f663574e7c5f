import "server-only";
import { SOURCE_NAMES, SOURCE_TITLES, type SourceName } from "@/lib/health-sources";
import type { Connection } from "@/server/cluster/kube/connection";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import type { Problem } from "@/server/cluster/health/types";
import type { TierId } from "@/server/config/tiers";
import { alertProblems, readAlerts } from "@/server/cluster/sources/alerts";
import { appProblems, listApps } from "@/server/cluster/sources/argocd";
import { controlPlaneProblems, readControlPlane } from "@/server/cluster/sources/control-plane";
import { ec2Problems, listInstances } from "@/server/cluster/sources/ec2";
import { monitoringProblems, readMonitoring } from "@/server/cluster/sources/monitoring";
import { listNodes, nodeProblems, type NodeInfo } from "@/server/cluster/sources/nodes";
import { listPods, podProblems, type PodInfo } from "@/server/cluster/sources/pods";
import { listQueues, queueProblems, type DepthPoint } from "@/server/cluster/sources/rabbitmq";

// THE HEALTH SOURCES. To add a source, add ONE entry to HEALTH_SOURCE_REGISTRY below: its read (with the
// signal that fires at its timeout), its timeout, its problems (the detector for its data) and its tier
// mapping. Its name and on-screen title are that entry's client-safe half: one line in lib/health-sources.ts
// (the browser may import that file, never this one). The registry is typed by that list, so the compiler
// refuses a name without an entry or an entry without a name. Nothing else changes: collect-health runs
// every entry under its own deadline, detect.ts asks each entry for its problems, rollup.ts places them
// on tiers by the entry's mapping, HealthData, DEFAULT_TIMEOUTS, SOURCE_NAMES and the titles follow.

/** What a read gets: the cluster's connection, and its read-only kubeconfig (loaded once, on first use). */
export type SourceContext = { conn: Connection; kube: () => KubeTarget };

/** What a detector gets beside its own data: the nodes and pods every tier is made of (null where that source
 *  failed), and the rules' inputs. */
export type DetectContext = {
  nodes: NodeInfo[] | null;
  pods: PodInfo[] | null;
  now: number;
  /** Stored depth samples per queue (the growth rule). */
  history: Record<string, DepthPoint[]>;
  expectedQueues: readonly string[];
};

/** How a source's failure and its problems attach to the tiers (the rest is by the problem's queue, workload or node). */
export type TierMapping = {
  /** The tiers this source's failure leaves unknown; "all" for the sources every tier is decided by. EC2,
   *  Argo CD and alerts only add evidence: their failure shows in their own panel without hiding the rest. */
  unknownIn: "all" | readonly TierId[];
  /** Where a problem that names no queue, workload, namespace or node belongs; absent: on no tier. */
  unplaced?: TierId;
};

/** One entry: everything the portal knows about a source. */
export type SourceDef<T = unknown> = {
  name: SourceName;
  title: string;
  timeoutMs: number;
  read: (ctx: SourceContext, signal: AbortSignal) => Promise<T>;
  /** The problems its data shows (a method, so an entry of any data type is a SourceDef). */
  problems(data: T, ctx: DetectContext): Problem[];
  tiers: TierMapping;
};

type Entry<T> = Omit<SourceDef<T>, "name" | "title">;
const entry = <T>(name: SourceName, def: Entry<T>): SourceDef<T> => ({ name, title: SOURCE_TITLES[name], ...def });

/** Every source, in lib/health-sources.ts's order. */
export const HEALTH_SOURCE_REGISTRY = {
  ec2: entry("ec2", {
    timeoutMs: 4000,
    read: ({ conn }, signal) => listInstances(conn, signal),
    problems: (instances, { nodes }) => ec2Problems(instances, nodes),
    tiers: { unknownIn: [] },
  }),
  nodes: entry("nodes", {
    timeoutMs: 4000,
    read: ({ kube }, signal) => listNodes(kube(), signal),
    problems: (nodes) => nodeProblems(nodes),
    tiers: { unknownIn: "all" },
  }),
  pods: entry("pods", {
    timeoutMs: 8000,
    read: ({ kube }, signal) => listPods(kube(), signal),
    // A pod on a NotReady node is that node's problem first (the pod rules say so).
    problems: (pods, { nodes, now }) =>
      podProblems(pods, now, new Set((nodes ?? []).filter((n) => n.ready !== "True").map((n) => n.name))),
    tiers: { unknownIn: "all" },
  }),
  controlPlane: entry("controlPlane", {
    timeoutMs: 4000,
    read: ({ kube }, signal) => readControlPlane(kube(), signal),
    problems: (cp) => controlPlaneProblems(cp),
    tiers: { unknownIn: ["1"], unplaced: "1" },
  }),
  monitoring: entry("monitoring", {
    timeoutMs: 4000,
    read: ({ kube }, signal) => readMonitoring(kube(), signal),
    problems: (components) => monitoringProblems(components),
    tiers: { unknownIn: ["1"], unplaced: "1" },
  }),
  rabbitmq: entry("rabbitmq", {
    timeoutMs: 4000,
    // A configured management URL is read directly; otherwise through the Kubernetes service proxy.
    read: ({ conn, kube }, signal) => listQueues(conn, conn.rabbitmq.url ? null : kube(), signal),
    problems: (queues, { history, now, expectedQueues }) => queueProblems(queues, history, now, expectedQueues),
    tiers: { unknownIn: ["3"] },
  }),
  argocd: entry("argocd", {
    timeoutMs: 4000,
    read: ({ kube }, signal) => listApps(kube(), signal),
    problems: (apps) => appProblems(apps),
    tiers: { unknownIn: [] },
  }),
  alerts: entry("alerts", {
    timeoutMs: 4000,
    read: ({ kube }, signal) => readAlerts(kube(), signal),
    problems: (alerts, { nodes, pods }) => alertProblems(alerts, nodes ?? [], pods ?? []),
    // An alert that names no tier's object is the monitoring stack's to explain (tier 1).
    tiers: { unknownIn: [], unplaced: "1" },
  }),
} satisfies Record<SourceName, SourceDef>;

type Registry = typeof HEALTH_SOURCE_REGISTRY;
/** The data a source's read answers with. */
export type SourceData<K extends SourceName> = Registry[K] extends SourceDef<infer T> ? T : never;

/** Every source's data; null where the source failed (health-store fills in null for a source a stored snapshot predates). */
export type HealthData = { [K in SourceName]: SourceData<K> | null };

/** Every entry, in list order. */
export const SOURCES: readonly SourceDef[] = SOURCE_NAMES.map((k) => HEALTH_SOURCE_REGISTRY[k]);

/** Each source's own deadline. */
export const DEFAULT_TIMEOUTS = Object.fromEntries(SOURCES.map((s) => [s.name, s.timeoutMs])) as Record<
  SourceName,
  number
>;

/** The entry of a source by name (undefined for a name the registry does not hold). */
export function sourceDef(name: SourceName, sources: readonly SourceDef[] = SOURCES): SourceDef | undefined {
  return sources.find((s) => s.name === name);
}
