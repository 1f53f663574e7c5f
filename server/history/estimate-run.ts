import "server-only";
import { db } from "@/server/db";
import type { StepMedians } from "@/lib/eta";
import type { Db } from "@/server/history/window";

// What the live run page estimates with: per-step medians of the last successful runs of the same pipeline and cluster.

/** Median duration per step key over the last `n` succeeded runs of this run's pipeline on its cluster (the run itself excluded). */
export async function findStepMedians(runId: string, n = 10, prisma: Db = db()): Promise<StepMedians> {
  const rows = await prisma.$queryRaw<{ key: string; median: number; runs: number }[]>`
    WITH me AS (
      SELECT id, "clusterId", pipeline FROM "Run" WHERE id = ${runId}
    ), recent AS (
      SELECT r.id FROM "Run" r JOIN me ON r."clusterId" = me."clusterId" AND r.pipeline = me.pipeline
      WHERE r.status = 'succeeded' AND r.id <> me.id
      ORDER BY r."createdAt" DESC LIMIT ${n}
    )
    SELECT s.key,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (s."finishedAt" - s."startedAt"))::float8 * 1000)::float8 AS median,
           (SELECT count(*) FROM recent)::int AS runs
    FROM recent r JOIN "RunStep" s ON s."runId" = r.id
    WHERE s.status = 'succeeded' AND s."startedAt" IS NOT NULL AND s."finishedAt" IS NOT NULL
    GROUP BY s.key`;
  return { runs: rows[0]?.runs ?? 0, steps: Object.fromEntries(rows.map((r) => [r.key, Math.round(r.median)])) };
}

/** How long a pipeline usually takes on a cluster: the median of its last succeeded runs, and how many. */
export type PipelineDurations = Record<string, { medianMs: number; runs: number }>;

/** Median wall-clock time of the last `n` succeeded runs of each pipeline on this cluster (what confirmations promise). */
export async function findPipelineDurations(clusterId: string, n = 10, prisma: Db = db()): Promise<PipelineDurations> {
  const rows = await prisma.$queryRaw<{ pipeline: string; median: number; runs: number }[]>`
    SELECT pipeline,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::float8 AS median,
           count(*)::int AS runs
    FROM (
      SELECT pipeline, extract(epoch FROM ("finishedAt" - "startedAt"))::float8 * 1000 AS ms,
             row_number() OVER (PARTITION BY pipeline ORDER BY "createdAt" DESC) AS rn
      FROM "Run"
      WHERE "clusterId" = ${clusterId} AND status = 'succeeded' AND "startedAt" IS NOT NULL AND "finishedAt" IS NOT NULL
    ) recent
    WHERE rn <= ${n}
    GROUP BY pipeline`;
  return Object.fromEntries(rows.map((r) => [r.pipeline, { medianMs: Math.round(r.median), runs: r.runs }]));
}
