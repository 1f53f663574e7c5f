import "server-only";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { histogramSamples, type Family } from "@/server/observability/exposition";
import { isActiveStatus, isTerminalStatus } from "@/lib/run-states";

// What /api/metrics exposes, read from the database at scrape time so that every web server answers
// the same and nothing is lost on restart. Each query is an aggregate over small tables (runs, steps,
// workers, stats); log lines are counted from pg_stat_user_tables, never by count(*).

export const RUN_BUCKETS = [30, 60, 120, 300, 600, 900, 1800, 2700, 3600, 5400, 7200] as const;
export const STEP_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600] as const;
const TIER_STATUSES = ["ok", "degraded", "down", "unknown"] as const;

const bucketColumns = (bounds: readonly number[]) =>
  bounds.map((b, i) => `count(*) FILTER (WHERE d <= ${Number(b)})::int AS b${i}`).join(", ");
const cumulative = (row: Record<string, unknown>, bounds: readonly number[]) =>
  bounds.map((_, i) => Number(row[`b${i}`]));

type HistRow = Record<string, unknown> & { count: number; sum: number };

/** Collects every metric family. */
export async function collectMetrics(db: PrismaClient): Promise<Family[]> {
  const [runs, runDur, stepDur, workers, logLines, sources, tiers, deliveries] = await Promise.all([
    db.$queryRaw<{ cluster: string; pipeline: string; status: string; n: number }[]>`
      SELECT c.name AS cluster, r.pipeline, r.status::text AS status, count(*)::int AS n
        FROM "Run" r JOIN "Cluster" c ON c.id = r."clusterId" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    db.$queryRawUnsafe<(HistRow & { cluster: string; pipeline: string; status: string })[]>(
      `SELECT cluster, pipeline, status, count(*)::int AS count, coalesce(sum(d), 0)::float8 AS sum, ${bucketColumns(RUN_BUCKETS)}
         FROM (SELECT c.name AS cluster, r.pipeline, r.status::text AS status, extract(epoch FROM r."finishedAt" - r."startedAt")::float8 AS d
                 FROM "Run" r JOIN "Cluster" c ON c.id = r."clusterId"
                WHERE r."finishedAt" IS NOT NULL AND r."startedAt" IS NOT NULL) x
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    ),
    db.$queryRawUnsafe<(HistRow & { pipeline: string; step: string; status: string })[]>(
      `SELECT pipeline, step, status, count(*)::int AS count, coalesce(sum(d), 0)::float8 AS sum, ${bucketColumns(STEP_BUCKETS)}
         FROM (SELECT r.pipeline, s.key AS step, s.status::text AS status, extract(epoch FROM s."finishedAt" - s."startedAt")::float8 AS d
                 FROM "RunStep" s JOIN "Run" r ON r.id = s."runId"
                WHERE s."finishedAt" IS NOT NULL AND s."startedAt" IS NOT NULL) x
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    ),
    db.$queryRaw<{ id: string; hostname: string; age: number; stopping: boolean }[]>`
      SELECT id, hostname, extract(epoch FROM now() - "heartbeatAt")::float8 AS age, "stoppingAt" IS NOT NULL AS stopping FROM "Worker" ORDER BY id`,
    db.$queryRaw<{ ins: bigint }[]>`SELECT n_tup_ins AS ins FROM pg_stat_user_tables WHERE relname = 'LogLine' LIMIT 1`,
    db.$queryRaw<
      { cluster: string; source: string; checks: bigint; errors: bigint; sum: number; last: number; ok: boolean }[]
    >`
      SELECT c.name AS cluster, s.source, s.checks, s.errors, s."durationSumMs" / 1000 AS sum, s."lastDurationMs"::float8 / 1000 AS last, s."lastOk" AS ok
        FROM "HealthSourceStat" s JOIN "Cluster" c ON c.id = s."clusterId" WHERE s.source <> '*' ORDER BY 1, 2`,
    db.$queryRaw<{ cluster: string; tier: string; observed: string; status: string }[]>`
      SELECT c.name AS cluster, t.tier, t.observed, t.status FROM "TierState" t JOIN "Cluster" c ON c.id = t."clusterId" ORDER BY 1, 2`,
    db.$queryRaw<{ cluster: string; webhook: string; status: string; n: number }[]>`
      SELECT c.name AS cluster, d.webhook, d.status::text AS status, count(*)::int AS n
        FROM "WebhookDelivery" d JOIN "Cluster" c ON c.id = d."clusterId" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  ]);
  return [
    {
      name: "portal_runs_finished_total",
      type: "counter",
      help: "Runs that ended, by cluster, pipeline and final status.",
      samples: runs
        .filter((r) => isTerminalStatus(r.status))
        .map((r) => ({ labels: { cluster: r.cluster, pipeline: r.pipeline, status: r.status }, value: r.n })),
    },
    {
      name: "portal_runs_active",
      type: "gauge",
      help: "Runs queued, running or cancelling now.",
      samples: runs
        .filter((r) => isActiveStatus(r.status))
        .map((r) => ({ labels: { cluster: r.cluster, pipeline: r.pipeline, status: r.status }, value: r.n })),
    },
    {
      name: "portal_run_duration_seconds",
      type: "histogram",
      help: "Duration of ended runs from start to end.",
      samples: runDur.flatMap((r) =>
        histogramSamples(
          { cluster: r.cluster, pipeline: r.pipeline, status: r.status },
          RUN_BUCKETS,
          cumulative(r, RUN_BUCKETS),
          r.sum,
          r.count,
        ),
      ),
    },
    {
      name: "portal_step_duration_seconds",
      type: "histogram",
      help: "Duration of ended steps, by pipeline, step and status.",
      samples: stepDur.flatMap((r) =>
        histogramSamples(
          { pipeline: r.pipeline, step: r.step, status: r.status },
          STEP_BUCKETS,
          cumulative(r, STEP_BUCKETS),
          r.sum,
          r.count,
        ),
      ),
    },
    {
      name: "portal_worker_heartbeat_age_seconds",
      type: "gauge",
      help: "Seconds since each registered worker last heartbeated.",
      samples: workers.map((w) => ({
        labels: { worker: w.id, hostname: w.hostname, stopping: String(w.stopping) },
        value: Math.max(0, w.age),
      })),
    },
    {
      name: "portal_log_lines_ingested_total",
      type: "counter",
      help: "Log lines stored (rows inserted into LogLine since the statistics were last reset).",
      samples: [{ labels: {}, value: Number(logLines[0]?.ins ?? 0) }],
    },
    {
      name: "portal_health_source_checks_total",
      type: "counter",
      help: "Background reads of each health source.",
      samples: sources.map((s) => ({ labels: { cluster: s.cluster, source: s.source }, value: Number(s.checks) })),
    },
    {
      name: "portal_health_source_errors_total",
      type: "counter",
      help: "Background reads of each health source that failed or timed out.",
      samples: sources.map((s) => ({ labels: { cluster: s.cluster, source: s.source }, value: Number(s.errors) })),
    },
    {
      name: "portal_health_source_duration_seconds",
      type: "summary",
      help: "Latency of background reads of each health source.",
      samples: sources.flatMap((s) => [
        { suffix: "_sum", labels: { cluster: s.cluster, source: s.source }, value: s.sum },
        { suffix: "_count", labels: { cluster: s.cluster, source: s.source }, value: Number(s.checks) },
      ]),
    },
    {
      name: "portal_health_source_up",
      type: "gauge",
      help: "1 when the last read of the health source succeeded.",
      samples: sources.map((s) => ({ labels: { cluster: s.cluster, source: s.source }, value: s.ok ? 1 : 0 })),
    },
    {
      name: "portal_tier_status",
      type: "gauge",
      help: "1 for each tier's current status (ok, degraded, down, unknown), 0 for the others.",
      samples: tiers.flatMap((t) =>
        TIER_STATUSES.map((s) => ({
          labels: { cluster: t.cluster, tier: t.tier, status: s },
          value: t.observed === s ? 1 : 0,
        })),
      ),
    },
    {
      name: "portal_webhook_deliveries",
      type: "gauge",
      help: "Webhook deliveries by cluster, webhook and status (pending, delivered, failed).",
      samples: deliveries.map((d) => ({
        labels: { cluster: d.cluster, webhook: d.webhook, status: d.status },
        value: d.n,
      })),
    },
  ];
}
