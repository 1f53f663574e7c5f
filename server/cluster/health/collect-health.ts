import "server-only";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { EXPECTED_QUEUES, TIERS } from "@/server/config/tiers";
import type { ClusterConfig } from "@/server/config/clusters";
import { readAlerts, type AlertInfo } from "@/server/cluster/sources/alerts";
import { listApps, type AppInfo } from "@/server/cluster/sources/argocd";
import { resolveConnection, type Connection } from "@/server/cluster/kube/connection";
import { readControlPlane, type ControlPlane } from "@/server/cluster/sources/control-plane";
import { detectProblems, type HealthData } from "@/server/cluster/health/detect";
import { listInstances, type Ec2Instance } from "@/server/cluster/sources/ec2";
import { loadKubeConfig } from "@/server/cluster/kube/kubeconfig";
import { readMonitoring, type MonitoringComponent } from "@/server/cluster/sources/monitoring";
import { listNodes, type NodeInfo } from "@/server/cluster/sources/nodes";
import { listPods, type PodInfo } from "@/server/cluster/sources/pods";
import { listQueues, type DepthPoint, type QueueInfo } from "@/server/cluster/sources/rabbitmq";
import { rollupTiers, worstStatus, type TierHealth } from "@/server/cluster/health/rollup";
import { SOURCE_NAMES, sortProblems, type HealthStatus, type Problem, type SourceName, type SourceResult } from "@/server/cluster/health/types";
import { oneLine, runSource } from "@/server/cluster/health/with-timeout";

// Queries every source in parallel, each under its own timeout, and rolls them up per tier. A failed
// source leaves its own panel unknown with its error; the others still answer.

export type SourceState = { source: SourceName; ok: boolean; error: string | null; durationMs: number; problems: number };

export type HealthSnapshot = {
  cluster: string;
  at: string;
  durationMs: number;
  status: HealthStatus;
  tiers: TierHealth[];
  sources: Record<SourceName, SourceState>;
  problems: Problem[];
  data: HealthData;
};

export const DEFAULT_TIMEOUTS: Record<SourceName, number> = { ec2: 4000, nodes: 4000, pods: 8000, controlPlane: 4000, monitoring: 4000, rabbitmq: 4000, argocd: 4000, alerts: 4000 };

export type CollectOptions = {
  timeouts?: Partial<Record<SourceName, number>>;
  /** Stored depth samples per queue (the growth rule); failures here only lose that rule. */
  history?: () => Promise<Record<string, DepthPoint[]>>;
  /** Overrides of the resolved connection (tests point RabbitMQ at a wrong URL, say). */
  connection?: Partial<Connection>;
  now?: () => number;
};

/** Collects the health of one cluster. Never throws for a source's failure. */
export async function collectHealth(config: ClusterConfig, opts: CollectOptions = {}): Promise<HealthSnapshot> {
  const started = performance.now();
  const t = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const conn: Connection = { ...resolveConnection(config), ...opts.connection };
  let kcMemo: KubeTarget | Error | undefined;
  const kube = (): KubeTarget => {
    if (kcMemo === undefined) {
      try {
        kcMemo = loadKubeConfig(conn.kubeconfig);
      } catch (err) {
        kcMemo = new Error(`cannot read kubeconfig: ${oneLine(err)}`);
      }
    }
    if (kcMemo instanceof Error) throw kcMemo;
    return kcMemo;
  };
  const none = { problems: [] as Problem[] };
  const [ec2, nodes, pods, controlPlane, monitoring, rabbitmq, argocd, alerts, history] = await Promise.all([
    runSource<Ec2Instance[]>("ec2", t.ec2, async (s) => ({ data: await listInstances(conn, s), ...none })),
    runSource<NodeInfo[]>("nodes", t.nodes, async (s) => ({ data: await listNodes(kube(), s), ...none })),
    runSource<PodInfo[]>("pods", t.pods, async (s) => ({ data: await listPods(kube(), s), ...none })),
    runSource<ControlPlane>("controlPlane", t.controlPlane, async (s) => ({ data: await readControlPlane(kube(), s), ...none })),
    runSource<MonitoringComponent[]>("monitoring", t.monitoring, async (s) => ({ data: await readMonitoring(kube(), s), ...none })),
    runSource<QueueInfo[]>("rabbitmq", t.rabbitmq, async (s) => ({ data: await listQueues(conn, conn.rabbitmq.url ? null : kube(), s), ...none })),
    runSource<AppInfo[]>("argocd", t.argocd, async (s) => ({ data: await listApps(kube(), s), ...none })),
    runSource<AlertInfo[]>("alerts", t.alerts, async (s) => ({ data: await readAlerts(kube(), s), ...none })),
    (opts.history?.() ?? Promise.resolve({})).catch(() => ({}) as Record<string, DepthPoint[]>),
  ]);
  const results = { ec2, nodes, pods, controlPlane, monitoring, rabbitmq, argocd, alerts } as Record<SourceName, SourceResult<unknown>>;
  const val = <T,>(r: SourceResult<T>): T | null => (r.ok ? r.data : null);
  const data: HealthData = { ec2: val(ec2), nodes: val(nodes), pods: val(pods), controlPlane: val(controlPlane), monitoring: val(monitoring), rabbitmq: val(rabbitmq), argocd: val(argocd), alerts: val(alerts) };
  const now = opts.now?.() ?? Date.now();
  const bySource = detectProblems(data, now, history, EXPECTED_QUEUES);
  const failed = SOURCE_NAMES.flatMap((s) => (results[s].ok ? [] : [{ source: s, error: (results[s] as { error: string }).error }]));
  const problems = sortProblems(SOURCE_NAMES.flatMap((s) => bySource[s]));
  const tiers = rollupTiers(TIERS, data, problems, failed);
  const sources = Object.fromEntries(
    SOURCE_NAMES.map((s) => {
      const r = results[s];
      return [s, { source: s, ok: r.ok, error: r.ok ? null : r.error, durationMs: r.durationMs, problems: bySource[s].length }];
    }),
  ) as Record<SourceName, SourceState>;
  return {
    cluster: config.name, at: new Date(now).toISOString(), durationMs: Math.round(performance.now() - started),
    status: worstStatus(tiers.map((x) => x.status)), tiers, sources, problems, data,
  };
}
