import { describe, expect, test } from "vitest";
import { formatClockUtc, formatUtc, timeTicks } from "@/components/ui/time";

describe("one time convention", () => {
  test("full times are 24-hour UTC with the zone written out", () => {
    expect(formatUtc("2026-03-16T21:44:12.345Z")).toBe("2026-03-16 21:44:12 UTC");
    expect(formatUtc(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("2026-01-02 03:04:05 UTC");
    expect(formatUtc(null)).toBe("—");
    expect(formatUtc("not a time")).toBe("—");
  });

  test("clock times are 24-hour UTC, never AM/PM", () => {
    expect(formatClockUtc(Date.UTC(2026, 2, 16, 21, 4, 9))).toBe("21:04 UTC");
    expect(formatClockUtc(Date.UTC(2026, 2, 16, 21, 4, 9), true)).toBe("21:04:09 UTC");
  });
});

describe("chart ticks", () => {
  const at = (h: number, m: number, s = 0) => Date.UTC(2026, 2, 16, h, m, s);

  test("an hour gets round, distinct minute ticks", () => {
    const { ticks, label } = timeTicks(at(9, 3, 20), at(10, 3, 20));
    const labels = ticks.map(label);
    expect(labels).toEqual(["09:10", "09:20", "09:30", "09:40", "09:50", "10:00"]);
    expect(new Set(labels).size).toBe(labels.length);
  });

  test("three minutes of samples never repeat a label (seconds are shown when the step is under a minute)", () => {
    const { ticks, label } = timeTicks(at(9, 34, 5), at(9, 36, 50));
    const labels = ticks.map(label);
    expect(labels.length).toBeGreaterThan(1);
    expect(labels.length).toBeLessThanOrEqual(6);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels[0]).toMatch(/^09:3\d:\d\d$/);
  });

  test("14 days are labelled by day", () => {
    const { ticks, label } = timeTicks(at(0, 0) - 14 * 86_400_000, at(0, 0));
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect(ticks.map(label).every((l) => /^[A-Z][a-z]{2} \d+$/.test(l))).toBe(true);
  });
});
