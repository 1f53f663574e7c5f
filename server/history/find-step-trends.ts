import "server-only";
import { db } from "@/server/db";
import { resolveWindow, weekKey, type Db, type HistoryFilter } from "@/server/history/window";

// Per step: how its duration moves week by week, and which steps fail most.

/** A step of the pipeline as it appeared in the window. */
export type StepRef = { key: string; title: string; index: number };
/** The median duration of each succeeded step, per week; `points[week][key]` is in ms. */
export type StepTrends = { steps: StepRef[]; weeks: { week: string; p50Ms: Record<string, number> }[] };

/** p50 duration of succeeded steps per week and step key (weeks with no succeeded step are left out). */
export async function findStepDurationTrends(filter: HistoryFilter, prisma: Db = db()): Promise<StepTrends> {
  const w = resolveWindow(filter);
  const rows = await prisma.$queryRaw<{ week: Date; key: string; title: string; idx: number; p50: number }[]>`
    SELECT date_trunc('week', r."createdAt") AS week, s.key, max(s.title) AS title, min(s.index)::int AS idx,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (s."finishedAt" - s."startedAt"))::float8 * 1000)::float8 AS p50
    FROM "Run" r JOIN "RunStep" s ON s."runId" = r.id
    WHERE r."clusterId" = ${w.clusterId} AND r.pipeline = ${w.pipeline} AND r."createdAt" >= ${w.since}::timestamp AND r."createdAt" <= ${w.now}::timestamp
      AND s.status = 'succeeded' AND s."startedAt" IS NOT NULL AND s."finishedAt" IS NOT NULL
    GROUP BY 1, 2 ORDER BY 1, idx`;
  const steps = new Map<string, StepRef>();
  const weeks = new Map<string, Record<string, number>>();
  for (const r of rows) {
    if (!steps.has(r.key)) steps.set(r.key, { key: r.key, title: r.title, index: r.idx });
    const wk = weekKey(r.week);
    (weeks.get(wk) ?? weeks.set(wk, {}).get(wk)!)[r.key] = r.p50;
  }
  return {
    steps: [...steps.values()].sort((a, b) => a.index - b.index),
    weeks: [...weeks].map(([week, p50Ms]) => ({ week, p50Ms })),
  };
}

/** A step that failed in the window: how often, out of how many attempts, and its latest failed run. */
export type FailingStep = StepRef & {
  failures: number;
  attempts: number;
  lastFailedRunId: string;
  lastFailedAt: string;
};

/** Steps that failed at least once in the window, most failures first (ties: earlier step first). */
export async function findFailingSteps(filter: HistoryFilter, prisma: Db = db()): Promise<FailingStep[]> {
  const w = resolveWindow(filter);
  const rows = await prisma.$queryRaw<
    { key: string; title: string; idx: number; failures: number; attempts: number; lastRun: string; lastAt: Date }[]
  >`
    SELECT s.key, max(s.title) AS title, min(s.index)::int AS idx,
           (count(*) FILTER (WHERE s.status = 'failed'))::int AS failures,
           (count(*) FILTER (WHERE s.status IN ('succeeded', 'failed')))::int AS attempts,
           (array_agg(r.id ORDER BY r."createdAt" DESC) FILTER (WHERE s.status = 'failed'))[1] AS "lastRun",
           max(r."createdAt") FILTER (WHERE s.status = 'failed') AS "lastAt"
    FROM "Run" r JOIN "RunStep" s ON s."runId" = r.id
    WHERE r."clusterId" = ${w.clusterId} AND r.pipeline = ${w.pipeline} AND r."createdAt" >= ${w.since}::timestamp AND r."createdAt" <= ${w.now}::timestamp
    GROUP BY s.key
    HAVING count(*) FILTER (WHERE s.status = 'failed') > 0
    ORDER BY failures DESC, idx
    LIMIT 50`;
  return rows.map((r) => ({
    key: r.key,
    title: r.title,
    index: r.idx,
    failures: r.failures,
    attempts: r.attempts,
    lastFailedRunId: r.lastRun,
    lastFailedAt: new Date(r.lastAt).toISOString(),
  }));
}
