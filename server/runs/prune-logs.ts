import "server-only";
import type pg from "pg";
import { pgPool } from "@/server/db/pool";
import { env } from "@/server/env";
import { log } from "@/server/log";

// Retention: log lines of runs that ended more than PORTAL_LOG_RETENTION_DAYS ago are deleted in small
// batches (short transactions, no long locks). Runs, steps and audit events are kept for good.

/** Prunes up to `maxRuns` expired runs' lines, `batch` rows per statement; returns the lines deleted. */
export async function pruneExpiredLogs(
  pool: pg.Pool,
  retentionDays: number,
  opts: { batch?: number; maxRuns?: number } = {},
): Promise<number> {
  const expired = await pool.query<{ id: string }>(
    `SELECT id FROM "Run" WHERE "finishedAt" < now() - make_interval(days => $1) AND "logsPrunedAt" IS NULL ORDER BY "finishedAt" LIMIT $2`,
    [retentionDays, opts.maxRuns ?? 50],
  );
  let deleted = 0;
  for (const { id } of expired.rows) {
    for (;;) {
      const res = await pool.query(
        `DELETE FROM "LogLine" WHERE "runId" = $1 AND seq IN (SELECT seq FROM "LogLine" WHERE "runId" = $1 ORDER BY seq LIMIT $2)`,
        [id, opts.batch ?? 5_000],
      );
      deleted += res.rowCount ?? 0;
      if (!res.rowCount) break;
    }
    await pool.query(`UPDATE "Run" SET "logsPrunedAt" = now() WHERE id = $1`, [id]);
  }
  return deleted;
}

/** Runs the pruning now and then every hour. */
export function startLogRetentionJob(): { stop(): Promise<void> } {
  const pool = pgPool();
  let inflight: Promise<unknown> = Promise.resolve();
  const tick = () => {
    inflight = pruneExpiredLogs(pool, env().PORTAL_LOG_RETENTION_DAYS)
      .then(
        (n) => n && log.info("pruned expired log lines", { lines: n, retentionDays: env().PORTAL_LOG_RETENTION_DAYS }),
      )
      .catch((err: unknown) => log.warn("log retention failed", { error: String(err) }));
  };
  tick();
  const timer = setInterval(tick, 60 * 60_000);
  return {
    async stop() {
      clearInterval(timer);
      await inflight;
    },
  };
}
