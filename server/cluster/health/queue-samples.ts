import "server-only";
import type { PrismaClient } from "@/server/generated/prisma/client";
import type { DepthPoint, QueueInfo } from "@/server/cluster/sources/rabbitmq";

// Stored queue depths: written every 15 s by the worker, downsampled as they age, pruned after 14 days.

export const RANGES = { "1h": 3600_000, "24h": 86_400_000, "14d": 14 * 86_400_000 } as const;
export type Range = keyof typeof RANGES;
/** Seconds per chart point for each range (the raw 15 s, 5 min, 1 h). */
const BUCKET: Record<Range, number> = { "1h": 15, "24h": 300, "14d": 3600 };

/** Rows older than `age` are folded into buckets of `seconds`. */
export const DOWNSAMPLE: { ageMs: number; seconds: number }[] = [
  { ageMs: RANGES["1h"], seconds: 60 },
  { ageMs: RANGES["24h"], seconds: 900 },
];
export const RETENTION_MS = RANGES["14d"];

export type SeriesPoint = {
  time: number;
  queue: string;
  messages: number;
  ready: number;
  unacked: number;
  consumers: number;
};

/** Writes one sample per queue at `time`. */
export async function recordSamples(
  db: PrismaClient,
  clusterId: string,
  queues: QueueInfo[],
  time: Date,
): Promise<number> {
  const res = await db.queueSample.createMany({
    data: queues.map((q) => ({
      clusterId,
      queue: q.name,
      time,
      messages: q.messages,
      ready: q.ready,
      unacked: q.unacked,
      consumers: q.consumers,
      publishRate: q.publishRate,
      deliverRate: q.deliverRate,
    })),
  });
  return res.count;
}

/** Folds aged rows into coarser buckets (aligned, so a bucket is never split) and deletes rows past retention. */
export async function compactSamples(db: PrismaClient, now: number): Promise<{ folded: number; pruned: number }> {
  let folded = 0;
  for (const step of DOWNSAMPLE) {
    const ms = step.seconds * 1000;
    const cutoff = new Date(Math.floor((now - step.ageMs) / ms) * ms);
    folded += await db.$executeRaw`
      WITH moved AS (
        DELETE FROM "QueueSample" WHERE "time" < ${cutoff} AND "resolution" < ${step.seconds} RETURNING *
      )
      INSERT INTO "QueueSample" ("clusterId", "queue", "time", "resolution", "messages", "ready", "unacked", "consumers", "publishRate", "deliverRate")
      SELECT "clusterId", "queue", to_timestamp(floor(extract(epoch FROM "time") / ${step.seconds}) * ${step.seconds}) AT TIME ZONE 'UTC', ${step.seconds},
             round(avg("messages"))::int, round(avg("ready"))::int, round(avg("unacked"))::int, round(avg("consumers"))::int, avg("publishRate"), avg("deliverRate")
      FROM moved GROUP BY 1, 2, 3`;
  }
  const pruned = await db.queueSample.deleteMany({ where: { time: { lt: new Date(now - RETENTION_MS) } } });
  return { folded, pruned: pruned.count };
}

/** The depth series of every queue over a range, averaged into the range's bucket size. */
export async function readSeries(
  db: PrismaClient,
  clusterId: string,
  range: Range,
  now: number,
): Promise<SeriesPoint[]> {
  const since = new Date(now - RANGES[range]);
  const b = BUCKET[range];
  const rows = await db.$queryRaw<
    { t: Date; queue: string; messages: number; ready: number; unacked: number; consumers: number }[]
  >`
    SELECT to_timestamp(floor(extract(epoch FROM "time") / ${b}) * ${b}) AT TIME ZONE 'UTC' AS t, "queue",
           round(avg("messages"))::int AS messages, round(avg("ready"))::int AS ready, round(avg("unacked"))::int AS unacked, round(avg("consumers"))::int AS consumers
    FROM "QueueSample" WHERE "clusterId" = ${clusterId} AND "time" >= ${since}
    GROUP BY 1, 2 ORDER BY 1, 2`;
  return rows.map((r) => ({
    time: new Date(r.t).getTime(),
    queue: r.queue,
    messages: r.messages,
    ready: r.ready,
    unacked: r.unacked,
    consumers: r.consumers,
  }));
}

/** The recent raw depths per queue, for the "keeps growing" rule. */
export async function readRecentDepths(
  db: PrismaClient,
  clusterId: string,
  sinceMs: number,
  now: number,
): Promise<Record<string, DepthPoint[]>> {
  const rows = await db.queueSample.findMany({
    where: { clusterId, time: { gte: new Date(now - sinceMs) } },
    select: { queue: true, time: true, messages: true },
    orderBy: { time: "asc" },
  });
  const out: Record<string, DepthPoint[]> = {};
  for (const r of rows) (out[r.queue] ??= []).push({ time: r.time.getTime(), messages: r.messages });
  return out;
}

/** The depth history a health read needs (the last 10 minutes), as `collectHealth`'s `history` option. */
export function growthHistory(db: PrismaClient, clusterId: string): () => Promise<Record<string, DepthPoint[]>> {
  return () => readRecentDepths(db, clusterId, 10 * 60_000, Date.now());
}
