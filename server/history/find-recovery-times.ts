import "server-only";
import { db } from "@/server/db";
import { resolveWindow, type Db, type HistoryFilter } from "@/server/history/window";

// Time to recovery: from the run that broke a pipeline to the next run of it that succeeded.

/** One failure streak: the first failed (or interrupted) run after a success, and the success that ended it. */
export type Recovery = {
  failedRunId: string;
  failedAt: string;
  recoveredRunId: string | null;
  recoveredAt: string | null;
  ms: number | null;
};
/** The median over recovered streaks, the latest recovery, and a streak still open (no success since). */
export type RecoveryTimes = {
  medianMs: number | null;
  recoveries: number;
  latest: Recovery | null;
  open: Recovery | null;
};

/**
 * Streaks are counted from their first failure, so three failures in a row are one outage, not three. Runs are
 * ordered by when they finished; cancelled runs neither break nor end a streak.
 */
export async function findRecoveryTimes(filter: HistoryFilter, prisma: Db = db()): Promise<RecoveryTimes> {
  const w = resolveWindow(filter);
  const rows = await prisma.$queryRaw<
    {
      failedRunId: string;
      failedAt: Date;
      recoveredRunId: string | null;
      recoveredAt: Date | null;
      ms: number | null;
      median: number | null;
      n: number;
    }[]
  >`
    WITH t AS (
      SELECT id, status::text AS status, "finishedAt" AS f, lag(status::text) OVER (ORDER BY "finishedAt", id) AS prev
      FROM "Run"
      WHERE "clusterId" = ${w.clusterId} AND pipeline = ${w.pipeline} AND "createdAt" >= ${w.since}::timestamp AND "createdAt" <= ${w.now}::timestamp
        AND status IN ('succeeded', 'failed', 'interrupted') AND "finishedAt" IS NOT NULL
    ), streaks AS (
      SELECT id, f FROM t WHERE status <> 'succeeded' AND (prev IS NULL OR prev = 'succeeded')
    ), rec AS (
      SELECT s.id AS "failedRunId", s.f AS "failedAt", n.id AS "recoveredRunId", n.f AS "recoveredAt",
             extract(epoch FROM (n.f - s.f))::float8 * 1000 AS ms
      FROM streaks s LEFT JOIN LATERAL (SELECT id, f FROM t WHERE t.status = 'succeeded' AND t.f > s.f ORDER BY t.f LIMIT 1) n ON true
    )
    SELECT rec.*, agg.median, agg.n
    FROM rec CROSS JOIN (
      SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::float8 AS median, count(ms)::int AS n FROM rec
    ) agg
    ORDER BY rec."failedAt" DESC
    LIMIT 100`;
  const out = rows.map((r) => ({
    failedRunId: r.failedRunId,
    failedAt: new Date(r.failedAt).toISOString(),
    recoveredRunId: r.recoveredRunId,
    recoveredAt: r.recoveredAt ? new Date(r.recoveredAt).toISOString() : null,
    ms: r.ms,
  }));
  return {
    medianMs: rows[0]?.median ?? null,
    recoveries: rows[0]?.n ?? 0,
    latest: out.find((r) => r.recoveredRunId) ?? null,
    open: out.find((r) => !r.recoveredRunId) ?? null,
  };
}
