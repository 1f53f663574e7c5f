import { expect, test } from "vitest";
import { estimateRun, slowerThanUsual, type StepMedians } from "@/lib/eta";

// The ETA math: finished steps as they took, the running step adjusted for its elapsed time, pending by median.

const T0 = Date.parse("2026-03-01T10:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const medians: StepMedians = { runs: 5, steps: { a: 60_000, b: 120_000, c: 30_000 } };

test("finished steps count what they took, the running step its median, pending steps their medians", () => {
  const steps = [
    { key: "a", status: "succeeded" as const, startedAt: at(0), finishedAt: at(90) },
    { key: "b", status: "running" as const, startedAt: at(90), finishedAt: null },
    { key: "c", status: "pending" as const, startedAt: null, finishedAt: null },
  ];
  const e = estimateRun(steps, medians, T0 + 120_000)!; // b has run 30 s of its 120 s median
  expect(e).toEqual({
    elapsedMs: 120_000,
    remainingMs: 90_000 + 30_000,
    totalMs: 240_000,
    fraction: 0.5,
    unknownSteps: 0,
  });
});

test("a running step past its median adds nothing more, and the share stays under 100% until the run ends", () => {
  const steps = [
    { key: "a", status: "succeeded" as const, startedAt: at(0), finishedAt: at(60) },
    { key: "c", status: "running" as const, startedAt: at(60), finishedAt: null },
  ];
  const e = estimateRun(steps, medians, T0 + 300_000)!;
  expect(e.remainingMs).toBe(0);
  expect(e.fraction).toBe(0.99);
  expect(slowerThanUsual(steps[1]!, medians, T0 + 300_000)).toBe(30_000);
  expect(slowerThanUsual(steps[1]!, medians, T0 + 60_000 + 45_000)).toBeNull(); // exactly 1.5x is not yet slower
  expect(slowerThanUsual(steps[0]!, medians, T0 + 300_000)).toBeNull();
});

test("no earlier successful run gives no estimate; steps without a median are counted as unknown", () => {
  const steps = [{ key: "new-step", status: "pending" as const, startedAt: null, finishedAt: null }];
  expect(estimateRun(steps, { runs: 0, steps: {} }, T0)).toBeNull();
  expect(estimateRun(steps, medians, T0)).toMatchObject({ remainingMs: 0, unknownSteps: 1, fraction: 0 });
  expect(slowerThanUsual({ ...steps[0]!, status: "running", startedAt: at(0) }, medians, T0 + 1e9)).toBeNull();
});

test("a queued run's estimate is the sum of the medians", () => {
  const steps = ["a", "b", "c"].map((key) => ({ key, status: "pending" as const, startedAt: null, finishedAt: null }));
  expect(estimateRun(steps, medians, T0)).toMatchObject({ elapsedMs: 0, remainingMs: 210_000, fraction: 0 });
});

test("a short step a second over its sub-second median is not flagged slower than usual", () => {
  const quick: StepMedians = { runs: 3, steps: { a: 400 } };
  const step = { key: "a", status: "succeeded" as const, startedAt: at(0), finishedAt: at(1) };
  expect(slowerThanUsual(step, quick, T0 + 5_000)).toBeNull();
  // The same ratio on a long step is flagged.
  const long: StepMedians = { runs: 3, steps: { a: 40_000 } };
  expect(slowerThanUsual({ ...step, finishedAt: at(100) }, long, T0 + 200_000)).toBe(40_000);
});
