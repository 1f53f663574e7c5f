import { expect, test } from "vitest";
import { OTHER_KEY, stackSteps } from "@/components/history/step-stack";

const steps = Array.from({ length: 16 }, (_, i) => ({ key: `s${i}`, title: `Step ${i}` }));
const weeks = [
  { week: "2026-03-02", p50Ms: Object.fromEntries(steps.map((s, i) => [s.key, (i + 1) * 1000])) },
  { week: "2026-03-09", p50Ms: { s15: 20_000, s0: 500 } },
];

test("16 steps become the 6 longest by name plus one 'other' that keeps the rest of the time", () => {
  const { series, rows } = stackSteps({ steps, weeks });
  expect(series.map((s) => s.name)).toEqual([
    "Step 15",
    "Step 14",
    "Step 13",
    "Step 12",
    "Step 11",
    "Step 10",
    "Other 10 steps",
  ]);
  expect(new Set(series.map((s) => s.color)).size).toBe(series.length);
  const sum = (r: Record<string, number | string>) =>
    Object.entries(r).reduce((n, [k, v]) => n + (k === "week" ? 0 : Number(v)), 0);
  expect(sum(rows[0]!)).toBe(Object.values(weeks[0]!.p50Ms).reduce((a, b) => a + b, 0));
  expect(rows[1]).toEqual({ week: "2026-03-09", s15: 20_000, [OTHER_KEY]: 500 });
});

test("a few steps are all named, with no 'other'", () => {
  const few = { steps: steps.slice(0, 3), weeks: [{ week: "w", p50Ms: { s0: 1, s1: 2, s2: 3 } }] };
  expect(stackSteps(few).series.map((s) => s.key)).toEqual(["s2", "s1", "s0"]);
});
