import { afterAll, beforeAll, expect, test } from "vitest";
import { findPipelineDurations } from "@/server/history/estimate-run";
import { insertRun } from "@/test/history-fixtures";
import { throwawayDatabase } from "@/test/throwaway-db";

// What the Rebuild confirmation promises comes from the cluster's own succeeded runs, on the real PostgreSQL.

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
let clusterId: string;
let other: string;
const MIN = 60_000;

beforeAll(async () => {
  t = await throwawayDatabase();
  clusterId = (await t.prisma.cluster.create({ data: { name: "c1", kind: "sandbox", config: {} } })).id;
  other = (await t.prisma.cluster.create({ data: { name: "c2", kind: "aws", config: {} } })).id;
});
afterAll(() => t?.drop());

test("the median of the last succeeded runs per pipeline, ignoring failures, other clusters and older runs", async () => {
  // 12 rebuilds: the two oldest took 50 min, the last 10 took 1..10 min; only the last 10 count.
  for (let i = 0; i < 12; i++) {
    const ms = i < 2 ? 50 * MIN : (i - 1) * MIN;
    await insertRun(t.prisma, {
      clusterId,
      pipeline: "rebuild",
      status: "succeeded",
      at: new Date(Date.UTC(2026, 2, 1 + i)).toISOString(),
      ms,
    });
  }
  await insertRun(t.prisma, { clusterId, pipeline: "rebuild", status: "failed", at: "2026-03-20T00:00:00Z", ms: 1 });
  await insertRun(t.prisma, {
    clusterId: other,
    pipeline: "rebuild",
    status: "succeeded",
    at: "2026-03-20T00:00:00Z",
    ms: 45 * MIN,
  });
  await insertRun(t.prisma, {
    clusterId,
    pipeline: "verify",
    status: "succeeded",
    at: "2026-03-20T00:00:00Z",
    ms: 20_000,
  });

  const d = await findPipelineDurations(clusterId, 10, t.prisma);
  expect(d.rebuild).toEqual({ medianMs: 5.5 * MIN, runs: 10 });
  expect(d.verify).toEqual({ medianMs: 20_000, runs: 1 });
  expect(d.provision).toBeUndefined();
  expect((await findPipelineDurations(other, 10, t.prisma)).rebuild).toEqual({ medianMs: 45 * MIN, runs: 1 });
});

test("the trends page opens on the pipeline with the most recent finished runs", async () => {
  const { findBusiestPipeline } = await import("@/server/history/default-pipeline");
  const fresh = (await t.prisma.cluster.create({ data: { name: "c3", kind: "sandbox", config: {} } })).id;
  expect(await findBusiestPipeline(fresh, 12, t.prisma)).toBeNull();
  const now = Date.now();
  for (let i = 0; i < 3; i++)
    await insertRun(t.prisma, {
      clusterId: fresh,
      pipeline: "verify",
      status: i ? "succeeded" : "failed",
      at: new Date(now - (i + 1) * 3_600_000).toISOString(),
      ms: 1000,
    });
  await insertRun(t.prisma, {
    clusterId: fresh,
    pipeline: "provision",
    status: "succeeded",
    at: new Date(now - 60_000).toISOString(),
    ms: 1000,
  });
  expect(await findBusiestPipeline(fresh, 12, t.prisma)).toBe("verify");
});
