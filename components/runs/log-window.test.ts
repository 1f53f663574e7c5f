import { describe, expect, test } from "vitest";
import { scrollTopFor, windowFor } from "@/components/runs/log-layout";

const ROW = 20;

describe("windowFor", () => {
  test("a short log draws every line with no scaling", () => {
    expect(windowFor(0, 600, 10)).toMatchObject({ scrollH: 200, ratio: 1, first: 0, last: 10, shift: 0 });
  });

  test("a long log draws only the rows in view plus overscan", () => {
    const w = windowFor(100_000 * ROW, 600, 200_000);
    expect(w.first).toBeGreaterThan(99_900);
    expect(w.last).toBeLessThan(100_100);
    expect(w.last - w.first).toBeLessThan(100);
  });

  test("a million lines stay under the browser's element height limit and still reach the last line", () => {
    const count = 1_000_000;
    const viewH = 600;
    const w0 = windowFor(0, viewH, count);
    expect(w0.scrollH).toBeLessThanOrEqual(8_000_000);
    expect(w0.ratio).toBeGreaterThan(1);
    const bottom = windowFor(w0.scrollH - viewH, viewH, count);
    expect(bottom.last).toBe(count);
    // The last row sits at the very bottom of the scrollable area.
    expect((count - 1) * ROW + bottom.shift).toBeCloseTo(w0.scrollH - ROW, 3);
  });

  test("rows are placed under the viewport when the scrollbar is scaled", () => {
    const count = 1_000_000;
    const scrollTop = 3_000_000;
    const w = windowFor(scrollTop, 600, count);
    const firstVisible = Math.floor((scrollTop * w.ratio) / ROW);
    const top = firstVisible * ROW + w.shift;
    expect(top).toBeGreaterThan(scrollTop - ROW);
    expect(top).toBeLessThanOrEqual(scrollTop);
  });
});

describe("scrollTopFor", () => {
  test("puts a line at the top, or centres it", () => {
    expect(scrollTopFor(100, 600, 1000, "start")).toBe(2000);
    expect(scrollTopFor(100, 600, 1000, "center")).toBe(2000 - 290);
  });

  test("clamps at both ends of the log", () => {
    expect(scrollTopFor(0, 600, 1000, "center")).toBe(0);
    expect(scrollTopFor(999, 600, 1000, "start")).toBe(1000 * ROW - 600);
  });

  test("round-trips through the scaled scrollbar to the same line", () => {
    const count = 1_000_000;
    const top = scrollTopFor(654_321, 600, count, "start");
    const w = windowFor(top, 600, count);
    expect(Math.round((top * w.ratio) / ROW)).toBe(654_321);
  });
});
