import "server-only";
import type pg from "pg";
import type { SourceState } from "@/server/cluster/health/collect-health";
import type { SourceName } from "@/server/cluster/health/types";

// Per cluster and source: checks, errors and latency of the background health reads, for /api/metrics.
// The row with source "*" is not a source: its checkedAt claims a cluster's tick among several workers.

/** Claims this interval's health read of a cluster; false when another process read it recently. */
export async function claimHealthTick(pool: pg.Pool, clusterId: string, intervalMs: number): Promise<boolean> {
  const res = await pool.query(
    `INSERT INTO "HealthSourceStat" ("clusterId", source, "checkedAt") VALUES ($1, '*', now())
     ON CONFLICT ("clusterId", source) DO UPDATE SET "checkedAt" = now()
       WHERE "HealthSourceStat"."checkedAt" <= now() - make_interval(secs => $2::float8 / 1000)
     RETURNING 1`,
    [clusterId, intervalMs / 2],
  );
  return (res.rowCount ?? 0) > 0;
}

/** Adds one read of every source to its counters. */
export async function recordSourceStats(
  pool: pg.Pool,
  clusterId: string,
  sources: Record<SourceName, SourceState>,
): Promise<void> {
  const list = Object.values(sources);
  await pool.query(
    `INSERT INTO "HealthSourceStat" ("clusterId", source, checks, errors, "durationSumMs", "lastDurationMs", "lastOk", "checkedAt")
     SELECT $1, s.source, 1, CASE WHEN s.ok THEN 0 ELSE 1 END, s.ms, s.ms, s.ok, now()
       FROM unnest($2::text[], $3::int[], $4::bool[]) AS s(source, ms, ok)
     ON CONFLICT ("clusterId", source) DO UPDATE SET
       checks = "HealthSourceStat".checks + 1, errors = "HealthSourceStat".errors + EXCLUDED.errors,
       "durationSumMs" = "HealthSourceStat"."durationSumMs" + EXCLUDED."durationSumMs",
       "lastDurationMs" = EXCLUDED."lastDurationMs", "lastOk" = EXCLUDED."lastOk", "checkedAt" = now()`,
    [clusterId, list.map((s) => s.source), list.map((s) => Math.round(s.durationMs)), list.map((s) => s.ok)],
  );
}
