import "server-only";
import pg from "pg";
import { databaseUrl } from "@/server/db";
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
export async function recordHealthSnapshots(pool: pg.Pool, runId: string | null = null, read: ReadHealth = readDirectly): Promise<number> {
  const pending = await pool.query<Pending>(PENDING, [runId]);
  let stored = 0;
  for (const row of pending.rows) {
    let data: unknown;
    try {
      data = overviewView(await read(row));
    } catch (err) {
      data = { error: `health could not be read: ${(err as Error).message}` };
    }
    const res = await pool.query(`INSERT INTO "HealthSnapshot" ("runId", data) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [row.id, JSON.stringify(data)]);
    stored += res.rowCount ?? 0;
  }
  return stored;
}

/** Listens for ended runs (and sweeps once a minute for any missed notification). */
export function startHealthSnapshotJob(read: ReadHealth = readDirectly): { stop(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: databaseUrl(), max: 2 });
  pool.on("error", (err) => log.warn("health snapshot pool error", { error: err.message }));
  const listener = new pg.Client({ connectionString: databaseUrl() });
  let chain: Promise<unknown> = Promise.resolve();
  const run = (id: string | null) => {
    chain = chain.then(() => recordHealthSnapshots(pool, id, read)).catch((err: unknown) => log.warn("health snapshot failed", { error: String(err) }));
  };
  listener.on("notification", (n) => run(n.payload ?? null));
  listener.on("error", (err) => log.warn("health snapshot listener lost", { error: String(err) }));
  void listener.connect().then(() => listener.query(`LISTEN ${RUN_STATE}`)).catch((err: unknown) => log.warn("health snapshot listener failed", { error: String(err) }));
  run(null);
  const timer = setInterval(() => run(null), 60_000);
  return {
    async stop() {
      clearInterval(timer);
      await chain;
      await listener.end().catch(() => undefined);
      await pool.end();
    },
  };
}
