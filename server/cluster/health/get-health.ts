import "server-only";
import { cache } from "react";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { NotFoundError } from "@/server/errors";
import { notifyHub } from "@/server/db/notify-hub";
import { findCluster } from "@/server/cluster/health/find-clusters";
import type { HealthSnapshot } from "@/server/cluster/health/collect-health";
import { HEALTH_UPDATED, HEALTH_WANTED, readStoredHealth } from "@/server/cluster/health/health-store";
import { rollupTiers } from "@/server/cluster/health/rollup";
import { readSeries, type Range } from "@/server/cluster/health/queue-samples";
import { oneLine } from "@/server/cluster/health/with-timeout";
import { SOURCE_NAMES, type SourceName } from "@/server/cluster/health/types";
import { TIERS } from "@/server/config/tiers";
import { log } from "@/server/log";

// The health of a cluster for pages and route handlers: the latest reading the worker's background
// process stored. Serving it asks for the next one (HEALTH_WANTED), so a cluster on screen is read every
// PORTAL_HEALTH_COLLECT_MS; a reading older than two intervals (nobody was looking) is refreshed first,
// waiting up to WAIT_MS for it. The web process itself never talks to the cluster's read APIs.

export type LiveHealth = HealthSnapshot & {
  /** Why the reading is older than it should be (no worker reading health), or null. */
  stale: string | null;
};

const WAIT_MS = 5_000;
/** After a wait timed out, serve what is stored without waiting again for this long. */
const QUIET_MS = 30_000;
const asked = new Map<string, number>();
/** The parts to read: module constants, so React's per-request cache() sees the same argument. */
export const WITH_PODS = { pods: true } as const;
export const WITHOUT_PODS = { pods: false } as const;
const timedOut = new Map<string, number>();

/** The cluster's row, or NotFoundError. */
export async function requireCluster(name: string) {
  const cluster = await findCluster(name);
  if (!cluster) throw new NotFoundError(`No cluster named "${name}".`);
  return cluster;
}

/** Asks the collectors to read a cluster (soon, or at once after a change such as an Argo CD sync). */
export async function askForHealth(clusterId: string, now = false): Promise<void> {
  await db().$executeRaw`SELECT pg_notify(${HEALTH_WANTED}, ${now ? `${clusterId}:now` : clusterId})`;
}

/** The latest stored reading of a cluster, refreshed first when it is old. One read per request: the
 * overview's widgets each ask for it. `pods: false` leaves the 15,000 pods of a large cluster unread (data.pods
 * null): for the views that show none (overview, queues, Argo CD, events), which every pushed change refetches. */
export const getHealth = cache(async (name: string, parts: { pods: boolean } = WITH_PODS): Promise<LiveHealth> => {
  const cluster = await requireCluster(name);
  const collectMs = env().PORTAL_HEALTH_COLLECT_MS;
  let unreadable: string | null = null;
  const read = () =>
    readStoredHealth(db(), cluster, parts).catch((err: unknown) => {
      unreadable = `the stored reading could not be read: ${oneLine(err)}`;
      log.warn("stored health unreadable", { cluster: name, error: unreadable });
      return null;
    });
  let h = await read();
  const age = () => (h ? Date.now() - Date.parse(h.at) : Infinity);
  if (age() > 2 * collectMs && Date.now() - (timedOut.get(cluster.id) ?? 0) > QUIET_MS) {
    if (await waitForReading(cluster.id)) h = await read();
    else timedOut.set(cluster.id, Date.now());
  } else {
    if (h) timedOut.delete(cluster.id); // a collector is reading it again
    if (Date.now() - (asked.get(cluster.id) ?? 0) > collectMs / 2) {
      asked.set(cluster.id, Date.now());
      await askForHealth(cluster.id).catch(() => undefined);
    }
  }
  if (!h)
    return notRead(name, unreadable ?? "not read yet: no worker has read this cluster's health. Is a worker running?");
  const stale =
    age() > 2 * collectMs + 10_000
      ? `This reading is from ${h.at.slice(11, 19)} UTC: no worker has read the cluster since. Is a worker running?`
      : null;
  return { ...h, stale };
});

const waits = new Map<string, Promise<boolean>>();

/** Asks for a read at once and waits for it to be stored; false after WAIT_MS. Concurrent callers share one wait. */
function waitForReading(clusterId: string): Promise<boolean> {
  let w = waits.get(clusterId);
  if (!w) {
    w = waitOnce(clusterId).finally(() => waits.delete(clusterId));
    waits.set(clusterId, w);
  }
  return w;
}

async function waitOnce(clusterId: string): Promise<boolean> {
  let done!: (ok: boolean) => void;
  const stored = new Promise<boolean>((r) => (done = r));
  const unsubscribe = await notifyHub().subscribe(HEALTH_UPDATED, clusterId, (p) => p !== null && done(true));
  const timer = setTimeout(() => done(false), WAIT_MS);
  try {
    asked.set(clusterId, Date.now());
    await askForHealth(clusterId, true);
    return await stored;
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}

/** No reading to serve (none yet, or unreadable): every source unknown, saying why. */
function notRead(name: string, error: string): LiveHealth {
  const data = Object.fromEntries(SOURCE_NAMES.map((s) => [s, null])) as HealthSnapshot["data"];
  const sources = Object.fromEntries(
    SOURCE_NAMES.map((s) => [s, { source: s, ok: false, error, durationMs: 0, problems: 0 }]),
  ) as LiveHealth["sources"];
  const tiers = rollupTiers(
    TIERS,
    data,
    [],
    SOURCE_NAMES.map((source: SourceName) => ({ source, error })),
  );
  return {
    cluster: name,
    at: new Date().toISOString(),
    durationMs: 0,
    status: "unknown",
    tiers,
    sources,
    problems: [],
    data,
    stale: error,
  };
}

/** The stored depth series of a cluster's queues over a range, up to now. */
export async function queueSeries(clusterId: string, range: Range) {
  return readSeries(db(), clusterId, range, Date.now());
}
