import "server-only";
import pg from "pg";
import { env } from "@/server/env";
import { log } from "@/server/log";

// The one way to the database in a process: one pg.Pool per database URL, shared by Prisma (createPrisma),
// the worker, the background jobs and the CLI. A process therefore holds at most POOL_MAX connections per
// database, plus the one LISTEN connection of its notify hub (server/db/notify-hub.ts). Connections show
// up in pg_stat_activity under POOL_APPLICATION_NAME, so a stray pool built elsewhere is easy to spot.
// An idle connection the server drops (a restart, the embedded database stopping) is logged and replaced
// on the next query; it never crashes the process.

/**
 * Connections per pool: as many as the busiest process (the background jobs) had in its separate pools
 * together before they shared this one, so a burst of transactions does not queue where it did not.
 */
export const POOL_MAX = 20;
/** application_name of every pooled connection. */
export const POOL_APPLICATION_NAME = "growbin-portal";

const g = globalThis as unknown as { pgPools?: Map<string, pg.Pool>; resolvedDatabaseUrl?: string };
const pools = (g.pgPools ??= new Map<string, pg.Pool>());

/** Records the URL that resolveDatabase chose (the embedded server's, when DATABASE_URL is unset). */
export function setDatabaseUrl(url: string): void {
  g.resolvedDatabaseUrl = url;
}

/** The database URL of this process. */
export function databaseUrl(): string {
  const url = g.resolvedDatabaseUrl ?? env().DATABASE_URL;
  if (!url) throw new Error("no database: start the portal with `npm start`, or set DATABASE_URL");
  return url;
}

/** The process's pool for `url` (default: the process's database); created on first use. Never end it yourself: see endPools. */
export function pgPool(url: string = databaseUrl()): pg.Pool {
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({
      connectionString: url,
      max: POOL_MAX,
      application_name: POOL_APPLICATION_NAME,
      keepAlive: true,
    });
    pool.on("error", (err) => log.warn("database connection lost", { error: err.message }));
    // pg-pool listens for errors on idle connections only. A connection checked out for a transaction or a
    // COPY that the server ends between two statements would emit an 'error' nobody handles, which
    // crashes the process; its caller sees the failure on its next statement, so here it is only absorbed.
    pool.on("connect", (client) => client.on("error", () => undefined));
    pools.set(url, pool);
  }
  return pool;
}

/** Ends the pool of `url`, or every pool (process shutdown, before a database is dropped in tests). */
export async function endPools(url?: string): Promise<void> {
  const ending = [...pools].filter(([u]) => url === undefined || u === url);
  for (const [u] of ending) pools.delete(u);
  await Promise.all(ending.map(([, pool]) => pool.end().catch(() => undefined)));
}
