import "server-only";
import { db } from "@/server/db";
import { NotFoundError } from "@/server/errors";
import { findCluster } from "@/server/cluster/find-clusters";
import { collectHealth, type HealthSnapshot } from "@/server/cluster/collect-health";
import { readRecentDepths, readSeries, type Range } from "@/server/cluster/queue-samples";

// The health of a cluster by name for pages, route handlers and the CLI: one collection shared by the
// widgets polling at the same moment (in flight, then kept for a couple of seconds).

const TTL_MS = 2_000;
const cache = new Map<string, { at: number; value: Promise<HealthSnapshot> }>();

/** The cluster's row, or NotFoundError. */
export async function requireCluster(name: string) {
  const cluster = await findCluster(name);
  if (!cluster) throw new NotFoundError(`No cluster named "${name}".`);
  return cluster;
}

/** Collects (or reuses a fresh) health snapshot of a cluster. */
export async function getHealth(name: string, opts: { fresh?: boolean } = {}): Promise<HealthSnapshot> {
  const cluster = await requireCluster(name);
  const hit = cache.get(name);
  if (!opts.fresh && hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const value = collectHealth(cluster.config, { history: () => readRecentDepths(db(), cluster.id, 10 * 60_000, Date.now()) });
  cache.set(name, { at: Date.now(), value });
  value.catch(() => cache.delete(name));
  return value;
}

/** The stored depth series of a cluster's queues over a range, up to now. */
export async function queueSeries(clusterId: string, range: Range) {
  return readSeries(db(), clusterId, range, Date.now());
}
