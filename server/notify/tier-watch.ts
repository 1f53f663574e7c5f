import "server-only";
import type pg from "pg";
import type { ClusterConfig } from "@/server/config/clusters";
import type { HealthSnapshot } from "@/server/cluster/health/collect-health";
import type { TierHealth } from "@/server/cluster/health/rollup";
import type { TierEventData } from "@/server/notify/events";
import { inTransaction, recordEventIn } from "@/server/notify/record-events";
import { recordSourceStats } from "@/server/observability/health-stats";

// The tier watch, fed by every health reading of the background collector: keeps the health-source
// counters for /api/metrics, and announces a tier whose status changed and then held for the cluster's
// debounce time (default 2 min), so a flapping tier does not spam.

export const DEFAULT_TIER_DEBOUNCE_S = 120;

export type ClusterRow = { id: string; name: string; config: ClusterConfig };
type TierRow = { observed: string; observedSince: Date; status: string; statusSince: Date };

/** Feeds one observation of a tier into its state; true when it recorded a tier.changed event. */
export async function observeTier(pool: pg.Pool, cluster: ClusterRow, tier: TierHealth, now: Date): Promise<boolean> {
  const debounceMs = (cluster.config.tierChangeDebounceSeconds ?? DEFAULT_TIER_DEBOUNCE_S) * 1000;
  return inTransaction(pool, async (client) => {
    const res = await client.query<TierRow>(
      `SELECT observed, "observedSince", status, "statusSince" FROM "TierState" WHERE "clusterId" = $1 AND tier = $2 FOR UPDATE`,
      [cluster.id, tier.id],
    );
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
        kind: "tier",
        cluster: cluster.name,
        tier: tier.id,
        title: tier.title,
        status: tier.status,
        previous: row.status,
        since: observedSince.toISOString(),
        reasons: tier.reasons.length
          ? tier.reasons.slice(0, 3).map((r) => r.message)
          : tier.unknown.map((u) => `${u.source}: ${u.error}`).slice(0, 3),
      };
      const key = `tier:${cluster.id}:${tier.id}:${observedSince.toISOString()}:${tier.status}`;
      recorded = await recordEventIn(client, {
        key,
        clusterId: cluster.id,
        runId: null,
        event: "tier.changed",
        data,
        config: cluster.config,
      });
    }
    await client.query(
      `UPDATE "TierState" SET observed = $3, "observedSince" = $4, "observedAt" = $5, status = $6, "statusSince" = $7 WHERE "clusterId" = $1 AND tier = $2`,
      [
        cluster.id,
        tier.id,
        tier.status,
        observedSince,
        now,
        settled ? tier.status : row.status,
        settled ? observedSince : row.statusSince,
      ],
    );
    return recorded;
  });
}

/** Feeds one reading into every tier's state and counts its sources; returns the tier.changed events recorded. */
export async function observeReading(
  pool: pg.Pool,
  cluster: ClusterRow,
  snapshot: HealthSnapshot,
  now = new Date(),
): Promise<number> {
  await recordSourceStats(pool, cluster.id, snapshot.sources);
  let events = 0;
  for (const tier of snapshot.tiers) if (await observeTier(pool, cluster, tier, now)) events++;
  return events;
}
