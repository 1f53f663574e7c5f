import { afterAll, beforeAll, expect, test } from "vitest";
import { compactSamples, readRecentDepths, readSeries, recordSamples } from "@/server/cluster/health/queue-samples";
import { sampleOnce } from "@/server/cluster/sources/queue-sampler";
import type { QueueInfo } from "@/server/cluster/sources/rabbitmq";
import { sandboxWithClients } from "@/infra/sandbox/test-helpers";
import { throwawayDatabase } from "@/test/throwaway-db";

// Queue samples in the real PostgreSQL: write, downsample as they age, prune past 14 days, read series.

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
let clusterId: string;
const NOW = Date.parse("2026-11-20T12:00:00Z");
const q = (name: string, messages: number): QueueInfo => ({
  name,
  vhost: "/",
  messages,
  ready: messages,
  unacked: 0,
  consumers: 1,
  publishRate: 1,
  deliverRate: 1,
});

beforeAll(async () => {
  t = await throwawayDatabase();
  clusterId = (
    await t.prisma.cluster.create({
      data: { name: "c1", kind: "sandbox", config: { name: "c1", kind: "sandbox", links: {} } },
    })
  ).id;
});
afterAll(() => t?.drop());

test("samples older than an hour fold into 1-minute rows, older than a day into 15-minute rows, and go after 14 days", async () => {
  // 4 samples 15 s apart, at 3 ages: recent, 2 hours, 2 days, plus one 15 days old.
  for (const age of [0, 2 * 3600_000, 2 * 86_400_000]) {
    for (let i = 0; i < 4; i++)
      await recordSamples(t.prisma, clusterId, [q("q.ai", 10 * (i + 1))], new Date(NOW - age - 60_000 + i * 15_000));
  }
  await recordSamples(t.prisma, clusterId, [q("q.ai", 1)], new Date(NOW - 15 * 86_400_000));
  const r = await compactSamples(t.prisma, NOW);
  expect(r.pruned).toBe(1);
  const rows = await t.prisma.queueSample.findMany({ orderBy: { time: "asc" } });
  const byRes = (res: number) => rows.filter((x) => x.resolution === res);
  expect(byRes(15)).toHaveLength(4);
  expect(byRes(60).length).toBeGreaterThanOrEqual(1);
  expect(byRes(900)).toHaveLength(1);
  expect(byRes(900)[0]!.messages).toBe(25);
  // Compacting again changes nothing: buckets are aligned, so a bucket is never split.
  await compactSamples(t.prisma, NOW);
  expect(await t.prisma.queueSample.count()).toBe(rows.length);
});

test("series are averaged per range bucket; recent depths come back per queue in time order", async () => {
  const hour = await readSeries(t.prisma, clusterId, "1h", NOW);
  expect(hour.map((p) => p.messages)).toEqual([10, 20, 30, 40]);
  const days = await readSeries(t.prisma, clusterId, "14d", NOW);
  expect(days.length).toBeGreaterThanOrEqual(3);
  const recent = await readRecentDepths(t.prisma, clusterId, 10 * 60_000, NOW);
  expect(recent["q.ai"]!.map((p) => p.messages)).toEqual([10, 20, 30, 40]);
});

test("a reading without rates yet (the first after a start) stores them as unknown, not as 0", async () => {
  const c = await t.prisma.cluster.create({
    data: { name: "c2", kind: "sandbox", config: { name: "c2", kind: "sandbox", links: {} } },
  });
  await recordSamples(t.prisma, c.id, [{ ...q("q.ai", 7), publishRate: null, deliverRate: null }], new Date(NOW));
  const [row] = await t.prisma.queueSample.findMany({ where: { clusterId: c.id } });
  expect(row).toMatchObject({ messages: 7, publishRate: null, deliverRate: null });
});

test("the sampler writes one row per queue per tick from a real sandbox, even when two workers tick at once", async () => {
  const sb = await sandboxWithClients({ provisioned: true });
  try {
    const c = await t.prisma.cluster.create({
      data: {
        name: "sbx",
        kind: "sandbox",
        config: { name: "sbx", kind: "sandbox", stateDir: sb.stateDir, links: {} },
      },
    });
    const now = Date.now();
    const [a, b] = await Promise.all([sampleOnce(t.prisma, 15_000, now), sampleOnce(t.prisma, 15_000, now)]);
    expect(a + b).toBe(5);
    expect(await t.prisma.queueSample.count({ where: { clusterId: c.id } })).toBe(5);
  } finally {
    await sb.close();
  }
});
