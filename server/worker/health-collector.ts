import "server-only";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { collectHealth, type HealthSnapshot, type LiveSources } from "@/server/cluster/health/collect-health";
import { resolveConnection } from "@/server/cluster/kube/connection";
import { loadKubeConfig } from "@/server/cluster/kube/kubeconfig";
import { startWatchSet, type WatchSet } from "@/server/cluster/kube/watch-set";
import { HEALTH_WANTED, storeHealth, type StoredDigests } from "@/server/cluster/health/health-store";
import { growthHistory } from "@/server/cluster/health/queue-samples";
import { oneLine } from "@/server/cluster/health/with-timeout";
import { notifyHub } from "@/server/db/notify-hub";
import { pgPool } from "@/server/db/pool";
import { observeReading, type ClusterRow } from "@/server/notify/tier-watch";
import { claimHealthTick } from "@/server/observability/health-stats";
import { log } from "@/server/log";

// The health collector, in the worker's background process: it reads each cluster's health (Kubernetes,
// EC2, RabbitMQ, Argo CD), stores the reading for the web to serve, and feeds the tier watch. A cluster
// somebody is looking at (the web sends HEALTH_WANTED while its pages poll) is read every `collectMs`;
// the others every `idleMs`, for tier-change notifications. With several workers, a per-cluster claim
// in PostgreSQL keeps one read per interval.
//
// While a cluster is watched, its pods, nodes and events are also followed with Kubernetes watches
// (server/cluster/kube/watch-set.ts): the nodes and pods sources read the watch caches instead of listing
// 15,000 pods every interval, and a change (coalesced over 250 ms) is rolled up at once with the other
// sources' latest answers and stored, which NOTIFYs the web's open pages. The other sources keep their interval.

export type CollectorOptions = {
  databaseUrl: string;
  prisma: PrismaClient;
  /** Interval while a page shows the cluster. */
  collectMs: number;
  /** Interval otherwise. */
  idleMs: number;
  /** Reads a cluster's health (tests pass recorded readings); `live` are the watch caches, when followed. */
  collect?: (cluster: ClusterRow, live?: LiveSources) => Promise<HealthSnapshot>;
  /** Follow watched clusters with Kubernetes watches (default true). */
  watch?: boolean;
  /** Coalescing window of watch changes before a new reading (ms). */
  debounceMs?: number;
  /** A tier change was recorded: wakes the notifier. */
  onEvent?: () => void;
};

/** How long a cluster counts as watched after the web last asked for it. */
const WATCHED_FOR_MS = 60_000;

/** While the nodes watch follows a cluster and saw no change, a full read keeps EC2's last answer up to this old
 * instead of describing every instance again. Measured at 500 instances: one DescribeInstances costs 141 ms of CPU
 * (the AWS SDK's XML parsing), more than half of a full read's 259 ms, every collect interval (5 s). Any change the
 * nodes watch sees (a node NotReady, added or removed) makes the next full read describe the instances again. */
export const EC2_KEPT_MS = 15_000;

type State = {
  row: ClusterRow;
  lastReadAt: number;
  watchedUntil: number;
  inflight: Promise<HealthSnapshot | null> | null;
  again: boolean;
  digests?: StoredDigests;
  error?: string;
  /** The cluster's watches while it is watched. */
  watch?: WatchSet;
  /** The reading a watch change prompted, in flight; it never waits for a full read (whose sources may be slow). */
  liveInflight?: Promise<void> | null;
  /** Another watch change came in meanwhile. */
  liveAgain?: boolean;
  /** Stores in the order their readings were made (one at a time: each rewrites only what changed since the last). */
  storing?: Promise<unknown>;
  /** When the watches could not be started (no kubeconfig yet): retried 30 s later. */
  watchFailedAt?: number;
  /** The last full reading: a watch change reuses its other sources. */
  last?: HealthSnapshot;
  /** The watches start after the full read in flight. */
  followAfterRead?: Promise<unknown>;
  /** When EC2 was last read by a full read, and the nodes watch's version then. */
  ec2?: { at: number; nodesV: number };
  /** The pods and nodes lists handed out last, kept while their watch saw no change (same array: nothing re-serialized). */
  lists?: { podsV: number; nodesV: number; pods: LiveSources["pods"]; nodes: LiveSources["nodes"] };
};

export type HealthCollector = {
  /** Reads a cluster now (after any read in flight, which may predate the call) and returns the reading. */
  readNow(clusterId: string): Promise<HealthSnapshot>;
  stop(): Promise<void>;
};

/** Starts the collector; `stop` waits for the reads in flight. */
export async function startHealthCollector(o: CollectorOptions): Promise<HealthCollector> {
  const pool = pgPool(o.databaseUrl); // the process's pool: not ended by stop
  const collect =
    o.collect ??
    ((c: ClusterRow, live?: LiveSources) => collectHealth(c.config, { history: growthHistory(o.prisma, c.id), live }));
  const watching = o.watch ?? true;
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
    for (const [id, st] of clusters) if (!seen.has(id)) (st.watch?.stop(), clusters.delete(id));
  };

  /** The watch caches of a followed cluster once they are listed, or undefined (then the sources list). */
  const liveOf = (st: State, reuse: boolean): LiveSources | undefined => {
    const w = st.watch;
    // Not listed yet, or failing (its cache may be behind): the sources list for themselves, and say so if they fail.
    if (!w || !w.nodes.hasSynced() || !w.pods.hasSynced() || w.nodes.lastError() || w.pods.lastError())
      return undefined;
    const podsV = w.version("pods");
    const nodesV = w.version("nodes");
    if (st.lists?.podsV !== podsV || st.lists.nodesV !== nodesV)
      st.lists = {
        podsV,
        nodesV,
        pods: st.lists?.podsV === podsV ? st.lists.pods : w.pods.items(),
        nodes: st.lists?.nodesV === nodesV ? st.lists.nodes : w.nodes.items(),
      };
    return { nodes: st.lists.nodes, pods: st.lists.pods, ...(reuse && st.last ? { reuse: st.last } : {}) };
  };

  /** Starts following a watched cluster; stops following one nobody watches any more. */
  const follow = (st: State, now: number) => {
    if (!watching || stopped) return;
    if (st.watchedUntil > now && !st.watch && now - (st.watchFailedAt ?? 0) > 30_000) {
      // Not while a full read lists the pods itself: the informers' list of 15,000 pods would be parsed at the same
      // time as the sources' (two lists' garbage at once: the process's memory peak). They start once it is stored.
      if (st.inflight) {
        if (!st.followAfterRead)
          st.followAfterRead = st.inflight.finally(() => ((st.followAfterRead = undefined), follow(st, Date.now())));
        return;
      }
      try {
        st.watch = startWatchSet(loadKubeConfig(resolveConnection(st.row.config).kubeconfig), {
          debounceMs: o.debounceMs,
          onChange: () => void live(st),
        });
        // The first lists landed: the next reading uses them (no need to wait for the interval).
        void st.watch.synced().then(
          () => live(st),
          () => undefined,
        );
      } catch (err) {
        // No kubeconfig yet (a sandbox not started): the sources say why; try again on the next tick.
        st.watchFailedAt = now;
        log.warn("cannot watch cluster", { cluster: st.row.name, error: oneLine(err) });
      }
    } else if (st.watchedUntil <= now && st.watch) {
      st.watch.stop();
      st.watch = undefined;
      st.lists = undefined;
      st.ec2 = undefined;
    }
  };

  /** Stores a reading after those before it, and feeds the tier watch. */
  const store = (st: State, snapshot: HealthSnapshot): Promise<void> => {
    const p = (st.storing ?? Promise.resolve()).then(async () => {
      st.digests = await storeHealth(pool, st.row.id, snapshot, st.digests);
      if (await observeReading(pool, st.row, snapshot)) o.onEvent?.();
    });
    st.storing = p.catch(() => undefined);
    return p;
  };

  /** A watch saw a change: a new reading from the caches and the other sources' last answers, now, even while a
   * full read waits for a slow source. Before the first full reading there is nothing to reuse: a full read. */
  const live = (st: State): void => {
    if (stopped || !st.watch) return;
    if (!st.last) return void read(st, 0, true);
    if (st.liveInflight) {
      st.liveAgain = true;
      return;
    }
    st.liveInflight = (async () => {
      const l = liveOf(st, true);
      if (!l?.reuse) return;
      await store(st, await collect(st.row, l));
    })()
      .catch((err: unknown) =>
        log.warn("health read from the watches failed", { cluster: st.row.name, error: oneLine(err) }),
      )
      .finally(() => {
        st.liveInflight = null;
        if (st.liveAgain) {
          st.liveAgain = false;
          live(st);
        }
      });
  };

  const versions = (st: State) => (st.watch ? `${st.watch.version("nodes")}/${st.watch.version("pods")}` : "");

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
      const before = versions(st);
      const started = Date.now();
      const l = liveOf(st, false);
      const nodesV = st.watch?.version("nodes") ?? -1;
      const keepEc2 =
        !!l && !!st.last?.sources.ec2?.ok && !!st.ec2 && st.ec2.nodesV === nodesV && started - st.ec2.at < EC2_KEPT_MS;
      let snapshot = await collect(st.row, l && keepEc2 ? { ...l, keep: { reading: st.last!, sources: ["ec2"] } } : l);
      if (!keepEc2) st.ec2 = l ? { at: started, nodesV } : undefined;
      // The watches moved on while the other sources answered: roll up again with their newest caches, so this
      // reading is not older than one a watch change stored meanwhile.
      const fresh = before !== versions(st) ? liveOf(st, false) : undefined;
      if (fresh) snapshot = await collect(st.row, { ...fresh, reuse: snapshot });
      st.last = snapshot;
      await store(st, snapshot);
      st.lastReadAt = Date.now();
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
      follow(st, now);
    }
    if (now - listedAt > 30_000)
      void list().catch((err: unknown) =>
        log.warn("health collector could not list clusters", { error: oneLine(err) }),
      );
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
    follow(st, Date.now());
  };

  await list();
  const unsubscribe = await notifyHub().subscribe(
    HEALTH_WANTED,
    "*",
    (p) => void wanted(p),
    () => "*",
  );
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
      for (const st of clusters.values()) st.watch?.stop();
      await Promise.all([...clusters.values()].flatMap((st) => [st.inflight, st.liveInflight, st.storing]));
    },
  };
}
