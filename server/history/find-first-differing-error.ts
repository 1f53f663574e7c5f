import "server-only";
import { stripAnsi } from "@/lib/ansi";
import { db } from "@/server/db";
import type { Db } from "@/server/history/window";

// The first error line that differs between two runs, read in small keyset pages so no whole log is ever loaded.

type Step = { index: number; key: string; title: string };
type Run = { id: string; steps: readonly Step[] };
/** One error line of one run, with where to link it (`/runs/<id>#L<seq>`). */
export type ErrorLine = { seq: number; stream: string; text: string };
/** Where the two runs' error lines part: the step, and each run's line there (null: that run has none). */
export type ErrorLineDiff =
  | { kind: "differs"; stepKey: string; stepTitle: string; a: ErrorLine | null; b: ErrorLine | null }
  | { kind: "same"; examined: number }
  | { kind: "gave-up"; examined: number };

type Row = ErrorLine & { step: number };

/** Error lines compare equal when they differ only in ANSI colour, timestamps or elapsed times. */
export function normalizeLine(text: string): string {
  return stripAnsi(text)
    .replace(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?/g, "<time>")
    .replace(/\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b/g, "<time>")
    .replace(/\b\d+(?:\.\d+)?(?:ms|s|m|h)\b/g, "<dur>")
    .replace(/\s+/g, " ")
    .trim();
}

/** Pages through one run's error lines (stderr, or error/fatal/failed in the text) in seq order. */
function errorLines(prisma: Db, runId: string, pageSize: number) {
  let after = -1;
  let buf: Row[] = [];
  let done = false;
  return async (): Promise<Row | null> => {
    if (!buf.length && !done) {
      buf = await prisma.$queryRaw<Row[]>`
        SELECT seq, step, stream::text AS stream, text FROM "LogLine"
        WHERE "runId" = ${runId} AND seq > ${after} AND step IS NOT NULL
          AND (stream = 'stderr' OR text ~* '(error|fatal|failed)')
        ORDER BY seq LIMIT ${pageSize}`;
      if (buf.length < pageSize) done = true;
      if (buf.length) after = buf[buf.length - 1]!.seq;
    }
    return buf.shift() ?? null;
  };
}

/**
 * Walks both runs' error lines step by step (steps matched by key, in A's order). The first place where one run
 * has a line the other does not, or both have different lines, is the answer. Gives up after `maxLines` per run.
 */
export async function findFirstDifferingErrorLine(
  a: Run,
  b: Run,
  opts: { pageSize?: number; maxLines?: number } = {},
  prisma: Db = db(),
): Promise<ErrorLineDiff> {
  const pageSize = opts.pageSize ?? 200;
  const maxLines = opts.maxLines ?? 5_000;
  const order = new Map<string, number>();
  const bKeys = new Set(b.steps.map((s) => s.key));
  a.steps.filter((s) => bKeys.has(s.key)).forEach((s, i) => order.set(s.key, i));
  const titles = new Map(a.steps.map((s) => [s.key, s.title]));
  // A line's position in the comparison: its step's rank among the shared steps (lines of other steps are skipped).
  const rankIn = (run: Run) => {
    const byIndex = new Map(run.steps.map((s) => [s.index, s.key]));
    return (r: Row) => {
      const key = byIndex.get(r.step);
      return key === undefined ? undefined : order.get(key);
    };
  };
  const next = (read: () => Promise<Row | null>, rank: (r: Row) => number | undefined) => async () => {
    for (;;) {
      const r = await read();
      if (!r) return null;
      const k = rank(r);
      if (k !== undefined) return { ...r, rank: k };
    }
  };
  const nextA = next(errorLines(prisma, a.id, pageSize), rankIn(a));
  const nextB = next(errorLines(prisma, b.id, pageSize), rankIn(b));
  const keyAt = [...order.keys()];
  const out = (l: Row | null): ErrorLine | null => (l ? { seq: l.seq, stream: l.stream, text: l.text } : null);
  let la = await nextA();
  let lb = await nextB();
  let examined = 0;
  while (la || lb) {
    if (examined++ >= maxLines) return { kind: "gave-up", examined: examined - 1 };
    // The run whose line belongs to an earlier step has a line the other run lacks in that step.
    const rank = Math.min(la?.rank ?? Infinity, lb?.rank ?? Infinity);
    const ha = la && la.rank === rank ? la : null;
    const hb = lb && lb.rank === rank ? lb : null;
    if (!ha || !hb || normalizeLine(ha.text) !== normalizeLine(hb.text)) {
      const key = keyAt[rank]!;
      return { kind: "differs", stepKey: key, stepTitle: titles.get(key) ?? key, a: out(ha), b: out(hb) };
    }
    la = await nextA();
    lb = await nextB();
  }
  return { kind: "same", examined };
}
