import { expect, test } from "vitest";
import { formatDuration } from "@/components/runs/format";
import { formatDelta } from "@/components/history/format";

test("durations under 10 s keep a tenth of a second; longer ones read in h/m/s", () => {
  expect(formatDuration(0)).toBe("0s");
  expect(formatDuration(400)).toBe("0.4s");
  expect(formatDuration(1_000)).toBe("1s");
  expect(formatDuration(1_250)).toBe("1.3s");
  expect(formatDuration(12_400)).toBe("12s");
  expect(formatDuration(185_000)).toBe("3m 05s");
  expect(formatDuration(3_720_000)).toBe("1h 02m");
});

test("a delta between a 0.4 s and a 1 s step is not ±0s", () => {
  expect(formatDelta(1_000 - 400)).toBe("+0.6s");
  expect(formatDelta(-30_000)).toBe("−30s");
  expect(formatDelta(20)).toBe("±0s");
});
