import "server-only";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { EXPECTED_QUEUES, TIERS } from "@/server/config/tiers";
import type { ClusterConfig } from "@/server/config/clusters";
import { resolveConnection, type Connection } from "@/server/cluster/kube/connection";
import { detectProblems } from "@/server/cluster/health/detect";
import { loadKubeConfig } from "@/server/cluster/kube/kubeconfig";
import type { DepthPoint } from "@/server/cluster/sources/rabbitmq";
import type { NodeInfo } from "@/server/cluster/sources/nodes";
import type { PodInfo } from "@/server/cluster/sources/pods";
import {
  DEFAULT_TIMEOUTS,
  SOURCES,
  type HealthData,
  type SourceContext,
  type SourceDef,
} from "@/server/cluster/sources/registry";
import { rollupTiers, worstStatus, type TierHealth } from "@/server/cluster/health/rollup";
import {
  sortProblems,
  type HealthStatus,
  type Problem,
  type SourceName,
  type SourceResult,
} from "@/server/cluster/health/types";
import { oneLine, runSource } from "@/server/cluster/health/with-timeout";

// Queries every source of the registry (server/cluster/sources/registry.ts) in parallel, each under its own
// timeout, and rolls them up per tier. A failed source leaves its own panel unknown with its error; the others
// still answer.

export type SourceState = {
  source: SourceName;
  ok: boolean;
  error: string | null;
  durationMs: number;
  problems: number;
};

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

export { DEFAULT_TIMEOUTS };

export type CollectOptions = {
  timeouts?: Partial<Record<SourceName, number>>;
  /** Stored depth samples per queue (the growth rule); failures here only lose that rule. */
  history?: () => Promise<Record<string, DepthPoint[]>>;
  /** Overrides of the resolved connection (tests point RabbitMQ at a wrong URL, say). */
  connection?: Partial<Connection>;
  now?: () => number;
  /** The sources to read (the registry's; a test adds one through the same entry shape). */
  sources?: readonly SourceDef[];
  /** Answers the caller already holds, used instead of reading (server/worker/health-collector.ts). */
  live?: LiveSources;
};

/** The nodes and pods from the collector's watch caches; for a reading a watch change prompted, also the last
 * full reading, whose other sources' answers (or errors) are reused as they were, not read again. */
export type LiveSources = {
  nodes: NodeInfo[];
  pods: PodInfo[];
  reuse?: HealthSnapshot;
  /** For a full read: sources whose answers in `reading` are still recent enough to keep instead of reading again. */
  keep?: { reading: HealthSnapshot; sources: readonly SourceName[] };
};

/** A source's answer from `live`, or null to read it. */
function given(name: SourceName, live: LiveSources | undefined): Promise<SourceResult<unknown>> | null {
  if (!live) return null;
  if (name === "nodes" || name === "pods")
    return Promise.resolve({ source: name, ok: true, data: live[name], problems: [], durationMs: 0 });
  const from = live.reuse ?? (live.keep?.sources.includes(name) ? live.keep.reading : undefined);
  const st = from?.sources[name];
  if (!st) return null;
  const data = from!.data[name];
  return Promise.resolve(
    st.ok
      ? { source: name, ok: true, data, problems: [], durationMs: st.durationMs }
      : { source: name, ok: false, error: st.error ?? "no answer", problems: [], durationMs: st.durationMs },
  );
}

/** Collects the health of one cluster. Never throws for a source's failure. */
export async function collectHealth(config: ClusterConfig, opts: CollectOptions = {}): Promise<HealthSnapshot> {
  const started = performance.now();
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
  const registry = opts.sources ?? SOURCES;
  const ctx: SourceContext = { conn, kube };
  const [answers, history] = await Promise.all([
    Promise.all(
      registry.map(
        (src) =>
          given(src.name, opts.live) ??
          runSource(src.name, opts.timeouts?.[src.name] ?? src.timeoutMs, async (signal) => ({
            data: await src.read(ctx, signal),
            problems: [] as Problem[],
          })),
      ),
    ),
    (opts.history?.() ?? Promise.resolve({})).catch(() => ({}) as Record<string, DepthPoint[]>),
  ]);
  const results = Object.fromEntries(answers.map((r) => [r.source, r])) as Record<SourceName, SourceResult<unknown>>;
  const data = Object.fromEntries(answers.map((r) => [r.source, r.ok ? r.data : null])) as HealthData;
  const now = opts.now?.() ?? Date.now();
  const bySource = detectProblems(data, now, history, EXPECTED_QUEUES, registry);
  const names = registry.map((src) => src.name);
  const failed = names.flatMap((s) =>
    results[s].ok ? [] : [{ source: s, error: (results[s] as { error: string }).error }],
  );
  const problems = sortProblems(names.flatMap((s) => bySource[s]));
  const tiers = rollupTiers(TIERS, data, problems, failed, registry);
  const sources = Object.fromEntries(
    names.map((s) => {
      const r = results[s];
      return [
        s,
        { source: s, ok: r.ok, error: r.ok ? null : r.error, durationMs: r.durationMs, problems: bySource[s].length },
      ];
    }),
  ) as Record<SourceName, SourceState>;
  return {
    cluster: config.name,
    at: new Date(now).toISOString(),
    durationMs: Math.round(performance.now() - started),
    status: worstStatus(tiers.map((x) => x.status)),
    tiers,
    sources,
    problems,
    data,
  };
}
