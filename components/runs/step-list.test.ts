import { describe, expect, test } from "vitest";
import { stepProgress } from "@/components/runs/step-list";
import type { RunStep } from "@/lib/run-states";

const step = (index: number, status: RunStep["status"]): RunStep => ({
  index,
  key: `s${index}`,
  title: `Step ${index}`,
  status,
  startedAt: null,
  finishedAt: null,
  exitCode: null,
  truncated: false,
});

describe("stepProgress", () => {
  test("a run with no steps has made no progress", () => {
    expect(stepProgress([])).toBe(0);
  });

  test("finished steps count whole whatever their outcome, and the running step counts half", () => {
    expect(stepProgress([step(0, "succeeded"), step(1, "running"), step(2, "pending"), step(3, "pending")])).toBe(
      1.5 / 4,
    );
    expect(stepProgress([step(0, "failed"), step(1, "skipped"), step(2, "cancelled")])).toBe(1);
  });
});
