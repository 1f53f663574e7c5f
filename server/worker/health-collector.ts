import "server-only";
import pg from "pg";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { collectHealth, type HealthSnapshot } from "@/server/cluster/health/collect-health";
import { HEALTH_WANTED, storeHealth, type StoredDigests } from "@/server/cluster/health/health-store";
import { growthHistory } from "@/server/cluster/health/queue-samples";
import { oneLine } from "@/server/cluster/health/with-timeout";
import { notifyHub } from "@/server/db/notify-hub";
import { observeReading, type ClusterRow } from "@/server/notify/tier-watch";
import { claimHealthTick } from "@/server/observability/health-stats";
import { log } from "@/server/log";

// The health collector, in the worker's background process: it reads each cluster's health (Kubernetes,
// EC2, RabbitMQ, Argo CD), stores the reading for the web to serve, and feeds the tier watch. A cluster
// somebody is looking at (the web sends HEALTH_WANTED while its pages poll) is read every `collectMs`;
// the others every `idleMs`, for tier-change notifications. With several workers, a per-cluster claim
// in PostgreSQL keeps one read per interval.

export type CollectorOptions = {
  databaseUrl: string;
  prisma: PrismaClient;
  /** Interval while a page shows the cluster. */
  collectMs: number;
  /** Interval otherwise. */
  idleMs: number;
  /** Reads a cluster's health (tests pass recorded readings). */
  collect?: (cluster: ClusterRow) => Promise<HealthSnapshot>;
  /** A tier change was recorded: wakes the notifier. */
  onEvent?: () => void;
};

/** How long a cluster counts as watched after the web last asked for it. */
const WATCHED_FOR_MS = 60_000;

type State = { row: ClusterRow; lastReadAt: number; watchedUntil: number; inflight: Promise<HealthSnapshot | null> | null; again: boolean; digests?: StoredDigests; error?: string };

export type HealthCollector = {
  /** Reads a cluster now (after any read in flight, which may predate the call) and returns the reading. */
  readNow(clusterId: string): Promise<HealthSnapshot>;
  stop(): Promise<void>;
};

/** Starts the collector; `stop` waits for the reads in flight. */
export async function startHealthCollector(o: CollectorOptions): Promise<HealthCollector> {
  const pool = new pg.Pool({ connectionString: o.databaseUrl, max: 3 });
  pool.on("error", (err) => log.warn("health collector pool error", { error: err.message }));
  const collect = o.collect ?? ((c: ClusterRow) => collectHealth(c.config, { history: growthHistory(o.prisma, c.id) }));
  const clusters = new Map<string, State>();
  let stopped = false;
  let listedAt = 0;

  const list = async () => {
    listedAt = Date.now();
    const res = await pool.query<ClusterRow>(`SELECT id, name, config FROM "Cluster" ORDER BY name`);
    const seen = new Set<string>();
    for (const row of res.rows) {
      seen.add(row.id);
      const st = clusters.get(row.id);
      if (st) st.row = row;
      else clusters.set(row.id, { row, lastReadAt: 0, watchedUntil: 0, inflight: null, again: false });
    }
    for (const id of clusters.keys()) if (!seen.has(id)) clusters.delete(id);
  };

  /** Reads one cluster unless another process read it within `windowMs / 2` (0: read regardless). */
  const read = (st: State, windowMs: number, urgent = false): Promise<HealthSnapshot | null> => {
    if (stopped) return Promise.resolve(null);
    if (st.inflight) {
      st.again ||= urgent;
      return st.inflight;
    }
    st.lastReadAt = Date.now();
    st.inflight = (async () => {
      if (!(await claimHealthTick(pool, st.row.id, windowMs))) return null;
      const snapshot = await collect(st.row);
      st.digests = await storeHealth(pool, st.row.id, snapshot, st.digests);
      st.lastReadAt = Date.now();
      if (await observeReading(pool, st.row, snapshot)) o.onEvent?.();
      return snapshot;
    })()
      .catch((err: unknown) => {
        st.error = oneLine(err);
        log.warn("health read failed", { cluster: st.row.name, error: st.error });
        return null;
      })
      .finally(() => {
        st.inflight = null;
        if (st.again) {
          st.again = false;
          void read(st, 0);
        }
      });
    return st.inflight;
  };

  const tick = () => {
    const now = Date.now();
    for (const st of clusters.values()) {
      const interval = st.watchedUntil > now ? o.collectMs : o.idleMs;
      if (now - st.lastReadAt >= interval) void read(st, interval);
    }
    if (now - listedAt > 30_000) void list().catch((err: unknown) => log.warn("health collector could not list clusters", { error: oneLine(err) }));
  };

  const wanted = async (payload: string | null) => {
    if (payload === null || stopped) return; // a reconnect: the ticker carries on
    const [id, when] = payload.split(":");
    if (!id) return;
    if (!clusters.has(id)) await list().catch(() => undefined);
    const st = clusters.get(id);
    if (!st) return;
    st.watchedUntil = Date.now() + WATCHED_FOR_MS;
    if (when === "now") void read(st, 0, true);
    else if (Date.now() - st.lastReadAt >= o.collectMs) void read(st, o.collectMs);
  };

  await list();
  const unsubscribe = await notifyHub().subscribe(HEALTH_WANTED, "*", (p) => void wanted(p), () => "*");
  tick();
  const timer = setInterval(tick, Math.min(1_000, o.collectMs / 2));
  timer.unref();
  return {
    async readNow(clusterId) {
      if (!clusters.has(clusterId)) await list();
      const st = clusters.get(clusterId);
      if (!st) throw new Error(`no cluster with id ${clusterId}`);
      while (st.inflight) await st.inflight;
      st.error = undefined;
      const snapshot = await read(st, 0, true);
      if (!snapshot) throw new Error(st.error ?? "the collector is stopping");
      return snapshot;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await Promise.all([...clusters.values()].map((st) => st.inflight));
      await pool.end();
    },
  };
}
