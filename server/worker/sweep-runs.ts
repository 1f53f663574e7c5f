import "server-only";
import os from "node:os";
import type pg from "pg";
import { interruptStale } from "@/server/runs/run-store";
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

/** Interrupts runs with a heartbeat older than `staleMs` (server/runs/run-store.ts) and ends their orphaned steps on this host; returns their ids. */
export async function sweepStaleRuns(pool: pg.Pool, staleMs: number): Promise<string[]> {
  const { ids, orphans } = await interruptStale(pool, staleMs);
  for (const o of orphans) {
    if (o.hostname === os.hostname() && signalGroup(o.pgid, "SIGINT")) orphanKills.add(endGroup(o.pgid));
  }
  return ids;
}
