import "server-only";
import { db } from "@/server/db";
import type { StepMedians } from "@/components/history/eta";
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
