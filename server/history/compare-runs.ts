import "server-only";
import { db } from "@/server/db";
import { getRunSnapshot, type RunSnapshot } from "@/server/runs/get-run";
import { findFirstDifferingErrorLine, type ErrorLineDiff } from "@/server/history/find-first-differing-error";
import type { Db } from "@/server/history/window";

// Two runs side by side: their steps matched by key, with durations, deltas and outcomes.

type Step = RunSnapshot["steps"][number];
/** One row of the comparison: the same step key in run A and run B (either may lack it). */
export type StepPair = { key: string; title: string; a: StepSide | null; b: StepSide | null; deltaMs: number | null };
/** A step's outcome in one run. */
export type StepSide = { index: number; status: Step["status"]; durationMs: number | null; exitCode: number | null };
/** Everything the compare page shows. */
export type RunComparison = {
  a: RunSnapshot & { durationMs: number | null };
  b: RunSnapshot & { durationMs: number | null };
  steps: StepPair[];
  firstError: ErrorLineDiff;
};

const span = (from: string | null, to: string | null) => (from && to ? Date.parse(to) - Date.parse(from) : null);
const side = (s: Step): StepSide => ({
  index: s.index,
  status: s.status,
  durationMs: span(s.startedAt, s.finishedAt),
  exitCode: s.exitCode,
});

/** Pairs steps by key: A's order, with steps only B has placed after the B step they follow. */
export function pairSteps(a: readonly Step[], b: readonly Step[]): StepPair[] {
  const rows: StepPair[] = a.map((s) => ({ key: s.key, title: s.title, a: side(s), b: null, deltaMs: null }));
  let after = -1;
  for (const s of b) {
    const at = rows.findIndex((r) => r.key === s.key);
    if (at >= 0) {
      rows[at]!.b = side(s);
      after = at;
    } else {
      rows.splice(after + 1, 0, { key: s.key, title: s.title, a: null, b: side(s), deltaMs: null });
      after += 1;
    }
  }
  for (const r of rows)
    if (r.a?.durationMs != null && r.b?.durationMs != null) r.deltaMs = r.b.durationMs - r.a.durationMs;
  return rows;
}

/** Both runs, their paired steps and the first error line that differs; null when either id is unknown. */
export async function compareRuns(aId: string, bId: string, prisma: Db = db()): Promise<RunComparison | null> {
  const [a, b] = await Promise.all([getRunSnapshot(aId), getRunSnapshot(bId)]);
  if (!a || !b) return null;
  const firstError = await findFirstDifferingErrorLine(a, b, {}, prisma);
  return {
    a: { ...a, durationMs: span(a.startedAt, a.finishedAt) },
    b: { ...b, durationMs: span(b.startedAt, b.finishedAt) },
    steps: pairSteps(a.steps, b.steps),
    firstError,
  };
}

/** The run of the same pipeline on the same cluster created just before this one, or null. */
export async function findPreviousRun(
  runId: string,
  prisma: Db = db(),
): Promise<{ id: string; status: string; createdAt: string } | null> {
  const [row] = await prisma.$queryRaw<{ id: string; status: string; createdAt: Date }[]>`
    SELECT p.id, p.status::text AS status, p."createdAt" FROM "Run" me
    JOIN "Run" p ON p."clusterId" = me."clusterId" AND p.pipeline = me.pipeline AND (p."createdAt", p.id) < (me."createdAt", me.id)
    WHERE me.id = ${runId}
    ORDER BY p."createdAt" DESC, p.id DESC LIMIT 1`;
  return row ? { id: row.id, status: row.status, createdAt: new Date(row.createdAt).toISOString() } : null;
}
