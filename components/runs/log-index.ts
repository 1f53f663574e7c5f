// The log of a run as the browser holds it: append-only lines with the indexes the viewer needs (errors, step
// starts), and the binary searches over them. Pure: the run page, the pod log and their tests share it.
import { stripAnsi } from "@/lib/ansi";

/** One stored log line (`event: lines`); `x` may hold ANSI escape codes. */
export type LogLine = { seq: number; step: number | null; t: string; s: "stdout" | "stderr" | "system"; x: string };

/**
 * The log of one run, append-only. Lines are pushed in place (never copied) and the indexes the viewer
 * needs are built as lines arrive, so a million-line log costs one pass, not one pass per render.
 */
export type LogIndex = { lines: LogLine[]; errors: number[]; stepStart: Map<number, number>; lastSeq: number };

/** An empty log. */
export function createLogIndex(): LogIndex {
  return { lines: [], errors: [], stepStart: new Map(), lastSeq: -Infinity };
}

const ERROR_WORDS = /error|fatal|failed/i;

/** Lines the "next error" buttons stop at: stderr, or words that mean something went wrong. */
export function isErrorLine(line: LogLine): boolean {
  return line.s === "stderr" || ERROR_WORDS.test(stripAnsi(line.x));
}

/** Appends a batch in place, skipping any seq already held (replays after a reconnect); returns how many were new. */
export function appendLines(log: LogIndex, batch: readonly LogLine[]): number {
  let added = 0;
  for (const line of batch) {
    if (!(line.seq > log.lastSeq)) continue;
    const i = log.lines.push(line) - 1;
    log.lastSeq = line.seq;
    if (line.step !== null && !log.stepStart.has(line.step)) log.stepStart.set(line.step, i);
    if (isErrorLine(line)) log.errors.push(i);
    added++;
  }
  return added;
}

/** Index of the line with `seq`, or -1 (lines are sorted by seq). */
export function findSeq(lines: readonly LogLine[], seq: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = lines[mid]!.seq;
    if (v === seq) return mid;
    if (v < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Position in `sorted` of the nearest value after (dir 1) or before (dir -1) `from`, wrapping around; -1 if empty. */
export function neighbour(sorted: readonly number[], from: number, dir: 1 | -1): number {
  if (!sorted.length) return -1;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dir === 1 ? sorted[mid]! <= from : sorted[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  if (dir === 1) return lo < sorted.length ? lo : 0;
  return lo > 0 ? lo - 1 : sorted.length - 1;
}

/** Position of `value` in `sorted`, or -1: "match 3 of 40". */
export function positionOf(sorted: readonly number[], value: number): number {
  const p = neighbour(sorted, value - 1, 1);
  return p >= 0 && sorted[p] === value ? p : -1;
}

/** Escapes text so a search box query matches literally. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
