import "server-only";
import { db } from "@/server/db";
import type { Db } from "@/server/history/window";

// Which pipeline the trends page opens on: the one with the most finished runs on the cluster in the window
// (the latest run breaks ties), so a first visit shows data instead of an empty Rebuild.

/** The busiest pipeline of the last `weeks` weeks on a cluster, or null when nothing ran. */
export async function findBusiestPipeline(clusterId: string, weeks = 12, prisma: Db = db()): Promise<string | null> {
  const rows = await prisma.$queryRaw<{ pipeline: string }[]>`
    SELECT pipeline FROM "Run"
    WHERE "clusterId" = ${clusterId} AND "finishedAt" IS NOT NULL AND "createdAt" > now() - make_interval(weeks => ${weeks})
    GROUP BY pipeline
    ORDER BY count(*) DESC, max("createdAt") DESC
    LIMIT 1`;
  return rows[0]?.pipeline ?? null;
}
