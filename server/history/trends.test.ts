import { afterAll, beforeAll, expect, test } from "vitest";
import { findDurationTrends } from "@/server/history/find-duration-trends";
import { findFailingSteps, findStepDurationTrends } from "@/server/history/find-step-trends";
import { findRecoveryTimes } from "@/server/history/find-recovery-times";
import { findStepMedians } from "@/server/history/estimate-run";
import { insertRun } from "@/test/history-fixtures";
import { throwawayDatabase } from "@/test/throwaway-db";

// Trend SQL on the real PostgreSQL: known runs in, known percentiles, success rates and recovery times out.

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
let clusterId: string;
let otherCluster: string;
const NOW = new Date("2026-03-18T12:00:00Z"); // a Wednesday; its week starts Monday 2026-03-16
const MIN = 60_000;

beforeAll(async () => {
  t = await throwawayDatabase();
  clusterId = (await t.prisma.cluster.create({ data: { name: "c1", kind: "sandbox", config: {} } })).id;
  otherCluster = (await t.prisma.cluster.create({ data: { name: "c2", kind: "sandbox", config: {} } })).id;
});
afterAll(() => t?.drop());

test("p50 and p90 of succeeded runs and the success rate come out per week, with empty weeks present", async () => {
  const c = { clusterId };
  // Week of 2026-03-02: succeeded 10, 20, 30, 40 minutes; one failure (short: must not pull the percentiles down).
  for (const [i, m] of [10, 20, 30, 40].entries())
    await insertRun(t.prisma, {
      ...c,
      pipeline: "provision",
      status: "succeeded",
      at: `2026-03-0${3 + i}T10:00:00Z`,
      ms: m * MIN,
    });
  await insertRun(t.prisma, { ...c, pipeline: "provision", status: "failed", at: "2026-03-07T10:00:00Z", ms: 1 * MIN });
  // Week of 2026-03-16: one success of 50 minutes, one interrupted, one cancelled (not counted), and another cluster's run.
  await insertRun(t.prisma, {
    ...c,
    pipeline: "provision",
    status: "succeeded",
    at: "2026-03-16T09:00:00Z",
    ms: 50 * MIN,
  });
  await insertRun(t.prisma, {
    ...c,
    pipeline: "provision",
    status: "interrupted",
    at: "2026-03-17T09:00:00Z",
    ms: 5 * MIN,
  });
  await insertRun(t.prisma, {
    ...c,
    pipeline: "provision",
    status: "cancelled",
    at: "2026-03-17T10:00:00Z",
    ms: 5 * MIN,
  });
  await insertRun(t.prisma, {
    clusterId: otherCluster,
    pipeline: "provision",
    status: "failed",
    at: "2026-03-17T10:00:00Z",
    ms: 5 * MIN,
  });

  const weeks = await findDurationTrends({ clusterId, pipeline: "provision", weeks: 3, now: NOW }, t.prisma);
  expect(weeks.map((w) => w.week)).toEqual(["2026-03-02", "2026-03-09", "2026-03-16"]);
  expect(weeks[0]).toEqual({
    week: "2026-03-02",
    p50Ms: 25 * MIN,
    p90Ms: 37 * MIN,
    finished: 5,
    succeeded: 4,
    successRate: 0.8,
  });
  expect(weeks[1]).toEqual({
    week: "2026-03-09",
    p50Ms: null,
    p90Ms: null,
    finished: 0,
    succeeded: 0,
    successRate: null,
  });
  expect(weeks[2]).toMatchObject({ p50Ms: 50 * MIN, p90Ms: 50 * MIN, finished: 2, succeeded: 1, successRate: 0.5 });
});

test("step medians per week and the step that fails most", async () => {
  const c = { clusterId, pipeline: "rebuild" };
  await insertRun(t.prisma, {
    ...c,
    status: "succeeded",
    at: "2026-03-09T10:00:00Z",
    steps: [
      { key: "infra", ms: 4 * MIN },
      { key: "os", ms: 2 * MIN },
    ],
  });
  await insertRun(t.prisma, {
    ...c,
    status: "succeeded",
    at: "2026-03-10T10:00:00Z",
    steps: [
      { key: "infra", ms: 6 * MIN },
      { key: "os", ms: 4 * MIN },
    ],
  });
  await insertRun(t.prisma, {
    ...c,
    status: "failed",
    at: "2026-03-11T10:00:00Z",
    steps: [
      { key: "infra", ms: 5 * MIN },
      { key: "os", status: "failed", ms: 1 * MIN },
    ],
  });
  await insertRun(t.prisma, {
    ...c,
    status: "failed",
    at: "2026-03-16T10:00:00Z",
    steps: [
      { key: "infra", ms: 9 * MIN },
      { key: "os", status: "failed", ms: 1 * MIN },
    ],
  });
  await insertRun(t.prisma, {
    ...c,
    status: "failed",
    at: "2026-03-17T10:00:00Z",
    steps: [
      { key: "infra", status: "failed", ms: 1 * MIN },
      { key: "os", status: "skipped" },
    ],
  });

  const trends = await findStepDurationTrends({ ...c, weeks: 2, now: NOW }, t.prisma);
  expect(trends.steps.map((s) => s.key)).toEqual(["infra", "os"]);
  expect(trends.weeks).toEqual([
    { week: "2026-03-09", p50Ms: { infra: 5 * MIN, os: 3 * MIN } },
    { week: "2026-03-16", p50Ms: { infra: 9 * MIN } },
  ]);
  const failing = await findFailingSteps({ ...c, weeks: 2, now: NOW }, t.prisma);
  expect(failing.map((f) => [f.key, f.failures, f.attempts])).toEqual([
    ["os", 2, 4],
    ["infra", 1, 5],
  ]);
  expect(failing[0]!.lastFailedAt).toBe("2026-03-16T10:00:00.000Z");
});

test("time to recovery counts a failure streak from its first failure to the next success", async () => {
  const c = { clusterId, pipeline: "verify" };
  await insertRun(t.prisma, { ...c, status: "succeeded", at: "2026-03-02T10:00:00Z" });
  // Streak 1: fails at 11:00 and 11:30 (one outage), recovered at 13:00 -> 2 h.
  await insertRun(t.prisma, { ...c, status: "failed", at: "2026-03-02T11:00:00Z" });
  await insertRun(t.prisma, { ...c, status: "interrupted", at: "2026-03-02T11:30:00Z" });
  await insertRun(t.prisma, { ...c, status: "cancelled", at: "2026-03-02T12:00:00Z" });
  await insertRun(t.prisma, { ...c, status: "succeeded", at: "2026-03-02T13:00:00Z" });
  // Streak 2: 4 h. Streak 3: 30 min. Streak 4: still open.
  await insertRun(t.prisma, { ...c, status: "failed", at: "2026-03-04T10:00:00Z" });
  await insertRun(t.prisma, { ...c, status: "succeeded", at: "2026-03-04T14:00:00Z" });
  await insertRun(t.prisma, { ...c, status: "failed", at: "2026-03-10T10:00:00Z" });
  const recovered = await insertRun(t.prisma, { ...c, status: "succeeded", at: "2026-03-10T10:30:00Z" });
  const open = await insertRun(t.prisma, { ...c, status: "failed", at: "2026-03-17T08:00:00Z" });

  const r = await findRecoveryTimes({ ...c, weeks: 4, now: NOW }, t.prisma);
  expect(r.recoveries).toBe(3);
  expect(r.medianMs).toBe(2 * 60 * MIN);
  expect(r.latest).toMatchObject({ recoveredRunId: recovered, ms: 30 * MIN });
  expect(r.open).toMatchObject({ failedRunId: open, recoveredRunId: null, ms: null });

  const none = await findRecoveryTimes({ clusterId: otherCluster, pipeline: "verify", now: NOW }, t.prisma);
  expect(none).toEqual({ medianMs: null, recoveries: 0, latest: null, open: null });
});

test("step medians for the ETA come from the last N successful runs of the same pipeline and cluster", async () => {
  const c = { clusterId, pipeline: "teardown" };
  // The oldest success (100 min steps) falls outside the last 3; a failure and another cluster's run never count.
  await insertRun(t.prisma, {
    ...c,
    status: "succeeded",
    at: "2026-03-01T10:00:00Z",
    steps: [{ key: "cleanup", ms: 100 * MIN }],
  });
  for (const [i, m] of [1, 2, 6].entries())
    await insertRun(t.prisma, {
      ...c,
      status: "succeeded",
      at: `2026-03-1${i}T10:00:00Z`,
      steps: [
        { key: "cleanup", ms: m * MIN },
        { key: "destroy", ms: 2 * m * MIN },
      ],
    });
  await insertRun(t.prisma, {
    ...c,
    status: "failed",
    at: "2026-03-14T10:00:00Z",
    steps: [{ key: "cleanup", ms: 50 * MIN }],
  });
  await insertRun(t.prisma, {
    clusterId: otherCluster,
    pipeline: "teardown",
    status: "succeeded",
    at: "2026-03-14T10:00:00Z",
    steps: [{ key: "cleanup", ms: 70 * MIN }],
  });
  const live = await insertRun(t.prisma, {
    ...c,
    status: "running",
    at: "2026-03-15T10:00:00Z",
    steps: [
      { key: "cleanup", status: "running" },
      { key: "destroy", status: "pending" },
    ],
  });

  expect(await findStepMedians(live, 3, t.prisma)).toEqual({ runs: 3, steps: { cleanup: 2 * MIN, destroy: 4 * MIN } });
  const lonely = await insertRun(t.prisma, {
    clusterId: otherCluster,
    pipeline: "rebuild",
    status: "running",
    at: "2026-03-15T10:00:00Z",
  });
  expect(await findStepMedians(lonely, 10, t.prisma)).toEqual({ runs: 0, steps: {} });
});
