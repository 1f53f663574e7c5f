import "server-only";
import type { PrismaClient } from "@/server/generated/prisma/client";

// The shared shape of a history question: one pipeline on one cluster, over the last N weeks up to `now`.

/** Which runs a trend covers. */
export type HistoryFilter = { clusterId: string; pipeline: string; weeks?: number; now?: Date };

/** The filter with defaults applied: 12 weeks ending now; `since` is the Monday 00:00 UTC that opens the window. */
export function resolveWindow(f: HistoryFilter) {
  const now = f.now ?? new Date();
  const weeks = Math.min(Math.max(Math.trunc(f.weeks ?? 12), 1), 104);
  const monday = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)),
  );
  const since = new Date(monday.getTime() - (weeks - 1) * 7 * 86_400_000);
  return { clusterId: f.clusterId, pipeline: f.pipeline, now, weeks, since };
}

/** The Prisma client a history read uses (tests pass their throwaway database's). */
export type Db = Pick<PrismaClient, "$queryRaw">;

/** A Monday as "YYYY-MM-DD" (the week's label and key). */
export const weekKey = (d: Date) => new Date(d).toISOString().slice(0, 10);
