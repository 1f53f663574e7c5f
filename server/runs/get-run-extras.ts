import "server-only";
import { db } from "@/server/db";
import type { OverviewView } from "@/server/cluster/health/health-views";

/** The health snapshot stored when the run ended, or null (still running, or not taken yet). */
export async function getHealthSnapshot(
  runId: string,
): Promise<{ capturedAt: Date; data: OverviewView | { error: string } } | null> {
  const row = await db().healthSnapshot.findUnique({ where: { runId } });
  return row ? { capturedAt: row.capturedAt, data: row.data as OverviewView | { error: string } } : null;
}
