import "server-only";
import { db } from "@/server/db";
import { resolveWindow, weekKey, type Db, type HistoryFilter } from "@/server/history/window";

// Per week: how long succeeded runs took (p50, p90) and how many finished runs succeeded.

/** One week of a pipeline on a cluster; durations are null in a week with no succeeded run. */
export type DurationWeek = {
  week: string;
  p50Ms: number | null;
  p90Ms: number | null;
  finished: number;
  succeeded: number;
  successRate: number | null;
};

/**
 * p50/p90 duration (of succeeded runs only: a failed run stops early and would make a slow pipeline look fast)
 * and success rate (succeeded / succeeded + failed + interrupted; a cancel is a person's choice, not an outcome)
 * per week, every week of the window present, oldest first.
 */
export async function findDurationTrends(filter: HistoryFilter, prisma: Db = db()): Promise<DurationWeek[]> {
  const w = resolveWindow(filter);
  const rows = await prisma.$queryRaw<
    { week: Date; p50: number | null; p90: number | null; finished: number; succeeded: number }[]
  >`
    WITH weeks AS (
      SELECT generate_series(${w.since}::timestamp, date_trunc('week', ${w.now}::timestamp), interval '1 week') AS week
    ), runs AS (
      SELECT date_trunc('week', "createdAt") AS week, status::text AS status,
             extract(epoch FROM ("finishedAt" - "startedAt"))::float8 * 1000 AS ms
      FROM "Run"
      WHERE "clusterId" = ${w.clusterId} AND pipeline = ${w.pipeline} AND "createdAt" >= ${w.since}::timestamp AND "createdAt" <= ${w.now}::timestamp
    )
    SELECT w.week,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ms) FILTER (WHERE r.status = 'succeeded' AND r.ms IS NOT NULL))::float8 AS p50,
           (percentile_cont(0.9) WITHIN GROUP (ORDER BY r.ms) FILTER (WHERE r.status = 'succeeded' AND r.ms IS NOT NULL))::float8 AS p90,
           (count(r.status) FILTER (WHERE r.status IN ('succeeded', 'failed', 'interrupted')))::int AS finished,
           (count(r.status) FILTER (WHERE r.status = 'succeeded'))::int AS succeeded
    FROM weeks w LEFT JOIN runs r ON r.week = w.week
    GROUP BY w.week ORDER BY w.week`;
  return rows.map((r) => ({
    week: weekKey(r.week),
    p50Ms: r.p50,
    p90Ms: r.p90,
    finished: r.finished,
    succeeded: r.succeeded,
    successRate: r.finished ? r.succeeded / r.finished : null,
  }));
}
