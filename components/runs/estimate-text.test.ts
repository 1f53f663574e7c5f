import { expect, test } from "vitest";
import { durationText } from "@/components/runs/estimate-text";

test("the promise comes from the cluster's own history when it has some", () => {
  expect(durationText("rebuild", "sandbox", { medianMs: 80_000, runs: 4 })).toBe(
    "This usually takes about 1m 20s (median of the last 4 rebuild runs here).",
  );
  expect(durationText("rebuild", "aws", { medianMs: 42 * 60_000, runs: 1 })).toBe(
    "This usually takes about 42m 00s (the last rebuild here).",
  );
});

test("without history, AWS falls back to the team's 40-50 minutes and a sandbox promises nothing", () => {
  expect(durationText("rebuild", "aws", undefined)).toContain("40-50 minutes");
  expect(durationText("rebuild", "sandbox", undefined)).toBeNull();
  expect(durationText("verify", "aws", { medianMs: 0, runs: 0 })).toBeNull();
});
