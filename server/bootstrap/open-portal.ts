import "server-only";
import { env } from "@/server/env";
import type { ClusterConfig } from "@/server/config/clusters";
import { loadPortalClusters } from "@/server/config/load-clusters";
import { resolveDatabase } from "@/server/db/resolve-database";
import { closeDb, db } from "@/server/db";
import { pgPool } from "@/server/db/pool";
import { syncClusters } from "@/server/bootstrap/sync-clusters";
import { orphanedStepsEnded, sweepStaleRuns } from "@/server/worker/sweep-runs";

// What every entry point does first, the same way: read the cluster config (before anything starts,
// so a bad file leaves nothing running), open and migrate the database, mirror the config into it,
// and, for those that start runs, free clusters held by runs whose process is gone.

/** An opened portal database; `close` ends this process's connections before the embedded server stops. */
export type OpenPortal = {
  url: string;
  embedded: boolean;
  clusters: ClusterConfig[];
  swept: string[];
  close: () => Promise<void>;
};

/** Opens the database for an entry point; `sweep` interrupts runs whose heartbeat went stale. */
export async function openPortal(opts: { sweep?: boolean } = {}): Promise<OpenPortal> {
  const clusters = loadPortalClusters();
  const database = await resolveDatabase();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // Our own connections (the Prisma client, the pool, the notify hub) go first, so the server's
    // shutdown ends nobody's session: no "connection lost" warning on a normal exit.
    await orphanedStepsEnded();
    await closeDb();
    await database.stop();
  };
  try {
    await syncClusters(db(), clusters);
    let swept: string[] = [];
    if (opts.sweep) {
      swept = await sweepStaleRuns(pgPool(database.url), env().PORTAL_STALE_AFTER_MS);
    }
    return { url: database.url, embedded: database.embedded, clusters, swept, close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
