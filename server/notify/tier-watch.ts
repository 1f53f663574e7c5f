import "server-only";
import pg from "pg";
import type { PrismaClient } from "@/server/generated/prisma/client";
import type { ClusterConfig } from "@/server/config/clusters";
import { collectHealth, type HealthSnapshot } from "@/server/cluster/collect-health";
import { readRecentDepths } from "@/server/cluster/queue-samples";
import type { TierHealth } from "@/server/cluster/rollup";
import { oneLine } from "@/server/cluster/with-timeout";
import type { TierEventData } from "@/server/notify/events";
import { inTransaction, recordEventIn } from "@/server/notify/record-events";
import { claimHealthTick, recordSourceStats } from "@/server/observability/health-stats";
import { log } from "@/server/log";

// The tier watcher, a background job: reads each cluster's tier health every interval, keeps the
// health-source counters for /api/metrics, and announces a tier whose status changed and then held
// for the cluster's debounce time (default 2 min), so a flapping tier does not spam.

export const DEFAULT_TIER_DEBOUNCE_S = 120;

type ClusterRow = { id: string; name: string; config: ClusterConfig };
type TierRow = { observed: string; observedSince: Date; status: string; statusSince: Date };

/** Feeds one observation of a tier into its state; true when it recorded a tier.changed event. */
export async function observeTier(pool: pg.Pool, cluster: ClusterRow, tier: TierHealth, now: Date): Promise<boolean> {
  const debounceMs = (cluster.config.tierChangeDebounceSeconds ?? DEFAULT_TIER_DEBOUNCE_S) * 1000;
  return inTransaction(pool, async (client) => {
    const res = await client.query<TierRow>(`SELECT observed, "observedSince", status, "statusSince" FROM "TierState" WHERE "clusterId" = $1 AND tier = $2 FOR UPDATE`, [
      cluster.id, tier.id,
    ]);
    const row = res.rows[0];
    if (!row) {
      // The first sighting is the baseline, not a change.
      await client.query(
        `INSERT INTO "TierState" ("clusterId", tier, observed, "observedSince", "observedAt", status, "statusSince") VALUES ($1, $2, $3, $4, $4, $3, $4) ON CONFLICT DO NOTHING`,
        [cluster.id, tier.id, tier.status, now],
      );
      return false;
    }
    const observedSince = row.observed === tier.status ? row.observedSince : now;
    const settled = tier.status !== row.status && now.getTime() - observedSince.getTime() >= debounceMs;
    let recorded = false;
    if (settled) {
      const data: TierEventData = {
        kind: "tier", cluster: cluster.name, tier: tier.id, title: tier.title, status: tier.status, previous: row.status, since: observedSince.toISOString(),
        reasons: tier.reasons.length ? tier.reasons.slice(0, 3).map((r) => r.message) : tier.unknown.map((u) => `${u.source}: ${u.error}`).slice(0, 3),
      };
      const key = `tier:${cluster.id}:${tier.id}:${observedSince.toISOString()}:${tier.status}`;
      recorded = await recordEventIn(client, { key, clusterId: cluster.id, runId: null, event: "tier.changed", data, config: cluster.config });
    }
    await client.query(
      `UPDATE "TierState" SET observed = $3, "observedSince" = $4, "observedAt" = $5, status = $6, "statusSince" = $7 WHERE "clusterId" = $1 AND tier = $2`,
      [cluster.id, tier.id, tier.status, observedSince, now, settled ? tier.status : row.status, settled ? observedSince : row.statusSince],
    );
    return recorded;
  });
}

export type WatchOptions = {
  intervalMs: number;
  /** Reads a cluster's health (tests pass recorded snapshots). */
  collect?: (cluster: ClusterRow) => Promise<HealthSnapshot>;
  now?: () => Date;
};

/** One tick for one cluster: claim, read, count, observe each tier. Returns the events recorded. */
export async function watchCluster(pool: pg.Pool, cluster: ClusterRow, o: WatchOptions & { collect: NonNullable<WatchOptions["collect"]> }): Promise<number> {
  if (!(await claimHealthTick(pool, cluster.id, o.intervalMs))) return 0;
  const snapshot = await o.collect(cluster);
  await recordSourceStats(pool, cluster.id, snapshot.sources);
  const now = o.now?.() ?? new Date();
  let events = 0;
  for (const tier of snapshot.tiers) if (await observeTier(pool, cluster, tier, now)) events++;
  return events;
}

/** Starts the watcher; `onEvent` wakes the notifier's delivery loop. */
export function startTierWatch(databaseUrl: string, prisma: PrismaClient, o: WatchOptions & { onEvent?: () => void }): { stop(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  pool.on("error", (err) => log.warn("tier watch pool error", { error: err }));
  const collect =
    o.collect ?? ((c: ClusterRow) => collectHealth(c.config, { history: () => readRecentDepths(prisma, c.id, 10 * 60_000, Date.now()) }));
  let inflight: Promise<unknown> = Promise.resolve();
  const tick = () => {
    inflight = (async () => {
      const clusters = await pool.query<ClusterRow>(`SELECT id, name, config FROM "Cluster" ORDER BY name`);
      await Promise.all(
        clusters.rows.map(async (c) => {
          try {
            if (await watchCluster(pool, c, { ...o, collect })) o.onEvent?.();
          } catch (err) {
            log.warn("tier watch skipped a cluster", { cluster: c.name, error: oneLine(err) });
          }
        }),
      );
    })().catch((err: unknown) => log.warn("tier watch tick failed", { error: oneLine(err) }));
  };
  tick();
  const timer = setInterval(tick, o.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await inflight;
      await pool.end();
    },
  };
}
