import "server-only";
import type pg from "pg";
import { pgPool } from "@/server/db/pool";
import { notifyHub } from "@/server/db/notify-hub";
import type { ClusterConfig } from "@/server/config/clusters";
import { collectHealth, type HealthSnapshot } from "@/server/cluster/health/collect-health";
import { overviewView } from "@/server/cluster/health/health-views";
import { RUN_STATE } from "@/server/runs/channels";
import { log } from "@/server/log";

// When a run ends, the cluster's tier health is stored with it: what the cluster looked like after the
// run. A background job (beside the worker) so that reading a cluster never delays a run's end; in the
// background process the health collector reads the cluster (and stores that reading as the latest too).

type Pending = { id: string; clusterId: string; config: ClusterConfig };
/** Reads a cluster now. */
export type ReadHealth = (run: Pending) => Promise<HealthSnapshot>;
const readDirectly: ReadHealth = (run) => collectHealth(run.config);

const PENDING = `SELECT r.id, r."clusterId", c.config FROM "Run" r JOIN "Cluster" c ON c.id = r."clusterId"
  LEFT JOIN "HealthSnapshot" h ON h."runId" = r.id
  WHERE r.status IN ('succeeded', 'failed', 'cancelled', 'interrupted') AND h."runId" IS NULL
    AND r."finishedAt" > now() - interval '15 minutes' AND ($1::text IS NULL OR r.id = $1)
  ORDER BY r."finishedAt" LIMIT 20`;

/** Stores a snapshot for every recently ended run that has none; returns how many were stored. */
export async function recordHealthSnapshots(
  pool: pg.Pool,
  runId: string | null = null,
  read: ReadHealth = readDirectly,
): Promise<number> {
  const pending = await pool.query<Pending>(PENDING, [runId]);
  let stored = 0;
  for (const row of pending.rows) {
    let data: unknown;
    try {
      data = overviewView(await read(row));
    } catch (err) {
      data = { error: `health could not be read: ${(err as Error).message}` };
    }
    const res = await pool.query(
      `INSERT INTO "HealthSnapshot" ("runId", data) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [row.id, JSON.stringify(data)],
    );
    stored += res.rowCount ?? 0;
  }
  return stored;
}

/** Listens for ended runs (and sweeps once a minute for any missed notification, and after the listener reconnects). */
export function startHealthSnapshotJob(read: ReadHealth = readDirectly): { stop(): Promise<void> } {
  const pool = pgPool();
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = (id: string | null) => {
    if (stopped) return;
    chain = chain
      .then(() => recordHealthSnapshots(pool, id, read))
      .catch((err: unknown) => log.warn("health snapshot failed", { error: String(err) }));
  };
  // null: the listener reconnected, so a notification may have been missed: look at every recent run.
  const listening = notifyHub()
    .subscribeAll(RUN_STATE, (payload) => run(payload || null))
    .catch((err: unknown) => {
      log.warn("health snapshot listener failed; relying on the minutely sweep", { error: String(err) });
      return () => undefined;
    });
  run(null);
  const timer = setInterval(() => run(null), 60_000);
  return {
    async stop() {
      clearInterval(timer);
      (await listening)();
      stopped = true;
      await chain;
    },
  };
}
