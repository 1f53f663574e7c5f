import { afterAll, beforeAll, expect, test } from "vitest";
import { compareRuns, findPreviousRun, pairSteps } from "@/server/history/compare-runs";
import { findFirstDifferingErrorLine, normalizeLine } from "@/server/history/find-first-differing-error";
import { insertRun } from "@/test/history-fixtures";
import { setDatabaseUrl } from "@/server/db";
import { throwawayDatabase } from "@/test/throwaway-db";

// Comparing two runs on the real PostgreSQL: steps matched by key with deltas, and the first differing error line.

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
let clusterId: string;
const MIN = 60_000;

beforeAll(async () => {
  t = await throwawayDatabase();
  setDatabaseUrl(t.url);
  clusterId = (await t.prisma.cluster.create({ data: { name: "c1", kind: "sandbox", config: {} } })).id;
});
afterAll(() => t?.drop());

const steps = [{ key: "infra" }, { key: "os" }, { key: "cni" }];

test("steps are matched by key with durations and deltas; a step only one run has keeps its place", () => {
  const s = (index: number, key: string, ms: number | null) => ({
    index,
    key,
    title: key,
    status: "succeeded" as const,
    exitCode: 0,
    truncated: false,
    startedAt: "2026-03-01T00:00:00.000Z",
    finishedAt: ms === null ? null : new Date(Date.parse("2026-03-01T00:00:00Z") + ms).toISOString(),
  });
  const rows = pairSteps([s(0, "a", 60_000), s(1, "c", 1000)], [s(0, "a", 90_000), s(1, "b", 5000), s(2, "c", null)]);
  expect(rows.map((r) => [r.key, r.a?.durationMs ?? null, r.b?.durationMs ?? null, r.deltaMs])).toEqual([
    ["a", 60_000, 90_000, 30_000],
    ["b", null, 5000, null],
    ["c", 1000, null, null],
  ]);
});

test("error lines that differ only in colour, timestamps and elapsed times are the same line", () => {
  expect(normalizeLine("\x1b[31m2026-03-01T10:00:00Z ERROR: timeout after 12.5s\x1b[0m")).toBe(
    normalizeLine("2026-03-09T11:12:13.456Z ERROR:  timeout after 3s"),
  );
  expect(normalizeLine("exit 1")).not.toBe(normalizeLine("exit 2"));
});

test("the first differing error line is found step by step, skipping equal and ordinary lines", async () => {
  const common = [
    { step: 0, text: "applying" },
    { step: 0, stream: "stderr" as const, text: "\x1b[33mwarning: deprecated flag\x1b[0m" },
  ];
  const good = await insertRun(t.prisma, {
    clusterId,
    status: "succeeded",
    at: "2026-03-01T10:00:00Z",
    steps: steps.map((s) => ({ ...s, ms: 2 * MIN })),
    lines: [...common, { step: 1, text: "os ready" }, { step: 2, text: "calico ok" }],
  });
  const bad = await insertRun(t.prisma, {
    clusterId,
    status: "failed",
    at: "2026-03-02T10:00:00Z",
    steps: [
      { key: "infra", ms: 3 * MIN },
      { key: "os", status: "failed", ms: MIN },
      { key: "cni", status: "skipped" },
    ],
    lines: [
      ...common,
      { step: 1, text: "installing containerd" },
      { step: 1, text: "FATAL: apt lock held" },
      { step: 1, stream: "stderr", text: "second" },
    ],
  });
  const cmp = await compareRuns(good, bad);
  expect(cmp!.steps.map((s) => [s.key, s.a?.status, s.b?.status, s.deltaMs])).toEqual([
    ["infra", "succeeded", "succeeded", MIN],
    ["os", "succeeded", "failed", -MIN],
    ["cni", "succeeded", "skipped", null],
  ]);
  expect(cmp!.firstError).toEqual({
    kind: "differs",
    stepKey: "os",
    stepTitle: "Step os",
    a: null,
    b: { seq: 3, stream: "stdout", text: "FATAL: apt lock held" },
  });
  // Page size 1 proves the keyset paging walks on rather than reading everything at once.
  const paged = await findFirstDifferingErrorLine(cmp!.a, cmp!.b, { pageSize: 1 });
  expect(paged).toEqual(cmp!.firstError);
  expect(await findFirstDifferingErrorLine(cmp!.a, cmp!.a, { pageSize: 1 })).toEqual({ kind: "same", examined: 1 });
  expect(await findFirstDifferingErrorLine(cmp!.a, cmp!.b, { maxLines: 0 })).toEqual({ kind: "gave-up", examined: 0 });
});

test("two different error lines in the same step are reported with both runs' lines", async () => {
  const mk = (text: string, at: string) =>
    insertRun(t.prisma, {
      clusterId,
      pipeline: "verify",
      status: "failed",
      at,
      steps: [{ key: "check-cluster", status: "failed", ms: MIN }],
      lines: [
        { step: 0, text: "ok" },
        { step: 0, stream: "stderr", text },
      ],
    });
  const a = await mk("node worker-1 NotReady", "2026-03-03T10:00:00Z");
  const b = await mk("node worker-2 NotReady", "2026-03-04T10:00:00Z");
  const cmp = await compareRuns(a, b);
  expect(cmp!.firstError).toMatchObject({
    kind: "differs",
    stepKey: "check-cluster",
    a: { seq: 1, text: "node worker-1 NotReady" },
    b: { seq: 1, text: "node worker-2 NotReady" },
  });
  expect(await findPreviousRun(b)).toMatchObject({ id: a, status: "failed" });
  expect(await findPreviousRun(a)).toBeNull();
  expect(await compareRuns(a, "no-such-run")).toBeNull();
});
