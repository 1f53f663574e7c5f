import "server-only";
import os from "node:os";
import type pg from "pg";
import { RUN_STATE } from "@/server/runs/channels";
import { signalGroup } from "@/server/worker/step-process";

// The sweeper: a run whose worker stopped heartbeating is marked interrupted, its steps are closed and
// the cluster is freed. It is never resumed: a retry is a new run. Orphaned step processes on this host
// are ended too, so nothing keeps changing the cluster unseen.

const ORPHAN_GRACE_MS = 5_000;
const orphanKills = new Set<Promise<void>>();

// The rest of the cancel ladder for an orphaned step: SIGKILL once the grace period has passed,
// unless the group ended by itself first.
async function endGroup(pgid: number): Promise<void> {
  const until = Date.now() + ORPHAN_GRACE_MS;
  while (Date.now() < until && signalGroup(pgid, 0)) await new Promise((r) => setTimeout(r, 100));
  signalGroup(pgid, "SIGKILL");
}

/**
 * Resolves once every orphaned step this process signalled has been SIGKILLed or has ended. A
 * short-lived sweeper (a CLI command) waits for it before exiting: a step that ignores SIGINT (a
 * shell script's background child does) would otherwise outlive everyone.
 */
export async function orphanedStepsEnded(): Promise<void> {
  const pending = [...orphanKills];
  orphanKills.clear();
  await Promise.all(pending);
}

/** Interrupts runs with a heartbeat older than `staleMs`; returns their ids. */
export async function sweepStaleRuns(pool: pg.Pool, staleMs: number): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const stale = await client.query<{ id: string; workerId: string | null; heartbeatAt: Date | null }>(
      `UPDATE "Run" SET status = 'interrupted', "finishedAt" = now(),
         error = 'interrupted: worker ' || coalesce("workerId", '?') || ' stopped heartbeating (last ' || coalesce(to_char("heartbeatAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), 'never') || ' UTC); retry it as a new run'
       WHERE status IN ('running', 'cancelling') AND ("heartbeatAt" IS NULL OR "heartbeatAt" < now() - make_interval(secs => $1::float8 / 1000))
       RETURNING id, "workerId", "heartbeatAt"`,
      [staleMs],
    );
    const ids = stale.rows.map((r) => r.id);
    let orphans: { pgid: number; hostname: string | null }[] = [];
    if (ids.length) {
      const running = await client.query<{ pgid: number | null; hostname: string | null }>(
        `SELECT s.pgid, w.hostname FROM "RunStep" s JOIN "Run" r ON r.id = s."runId" LEFT JOIN "Worker" w ON w.id = r."workerId"
         WHERE s."runId" = ANY($1) AND s.status = 'running' AND s.pgid IS NOT NULL`,
        [ids],
      );
      await client.query(
        `UPDATE "RunStep" SET status = CASE WHEN status = 'running' THEN 'failed'::"StepStatus" ELSE 'skipped'::"StepStatus" END,
           "finishedAt" = CASE WHEN status = 'running' THEN now() ELSE "finishedAt" END,
           signal = CASE WHEN status = 'running' THEN 'worker lost' ELSE signal END, pgid = NULL
         WHERE "runId" = ANY($1) AND status IN ('running', 'pending')`,
        [ids],
      );
      orphans = running.rows.filter((r) => r.pgid).map((r) => ({ pgid: r.pgid!, hostname: r.hostname }));
      for (const r of stale.rows) {
        await client.query(
          `INSERT INTO "AuditEvent" (actor, action, target, outcome, detail) VALUES ('system', 'run.interrupted', $1, 'success', $2)`,
          [r.id, JSON.stringify({ workerId: r.workerId, lastHeartbeat: r.heartbeatAt })],
        );
      }
    }
    await client.query("COMMIT");
    for (const o of orphans) {
      if (o.hostname === os.hostname() && signalGroup(o.pgid, "SIGINT")) orphanKills.add(endGroup(o.pgid));
    }
    for (const id of ids) await pool.query("SELECT pg_notify($1, $2)", [RUN_STATE, id]);
    return ids;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
