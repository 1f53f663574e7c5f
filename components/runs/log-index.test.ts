import { describe, expect, test } from "vitest";
import {
  appendLines,
  createLogIndex,
  escapeRegExp,
  findSeq,
  isErrorLine,
  neighbour,
  positionOf,
  type LogLine,
} from "@/components/runs/log-index";

const line = (seq: number, x = `line ${seq}`, over: Partial<LogLine> = {}): LogLine => ({
  seq,
  step: 0,
  t: "2026-01-01T00:00:00.000Z",
  s: "stdout",
  x,
  ...over,
});

describe("appendLines", () => {
  test("appends new lines in order and reports how many were new", () => {
    const log = createLogIndex();
    expect(appendLines(log, [line(1), line(2)])).toBe(2);
    expect(appendLines(log, [line(3)])).toBe(1);
    expect(log.lines.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(log.lastSeq).toBe(3);
  });

  test("a replayed batch after a reconnect adds no duplicates", () => {
    const log = createLogIndex();
    appendLines(log, [line(1), line(2), line(3)]);
    expect(appendLines(log, [line(2), line(3), line(4)])).toBe(1);
    expect(log.lines.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
  });

  test("keeps appending into the same array instead of copying it", () => {
    const log = createLogIndex();
    const array = log.lines;
    appendLines(log, [line(1)]);
    appendLines(log, [line(2)]);
    expect(log.lines).toBe(array);
  });

  test("records where each step's output starts, ignoring lines outside any step", () => {
    const log = createLogIndex();
    appendLines(log, [
      line(1, "boot", { step: null }),
      line(2, "a", { step: 0 }),
      line(3, "b", { step: 0 }),
      line(4, "c", { step: 1 }),
    ]);
    expect(log.stepStart.get(0)).toBe(1);
    expect(log.stepStart.get(1)).toBe(3);
    expect(log.stepStart.has(2)).toBe(false);
  });

  test("indexes error lines as they arrive", () => {
    const log = createLogIndex();
    appendLines(log, [line(1, "ok"), line(2, "Error: boom"), line(3, "warn", { s: "stderr" }), line(4, "fine")]);
    expect(log.errors).toEqual([1, 2]);
  });

  test("handles a large batch without blowing the stack", () => {
    const log = createLogIndex();
    const batch = Array.from({ length: 200_000 }, (_, i) => line(i + 1, "x"));
    expect(appendLines(log, batch)).toBe(200_000);
    expect(log.lines.length).toBe(200_000);
  });
});

describe("isErrorLine", () => {
  test("stderr lines count as errors whatever they say", () => {
    expect(isErrorLine(line(1, "Still creating...", { s: "stderr" }))).toBe(true);
  });

  test("stdout lines count when they mention error, fatal or failed in any case", () => {
    expect(isErrorLine(line(1, "TASK [x] FAILED"))).toBe(true);
    expect(isErrorLine(line(1, "fatal: [node-1]: UNREACHABLE"))).toBe(true);
    expect(isErrorLine(line(1, "\x1b[31mError\x1b[0m: quota"))).toBe(true);
    expect(isErrorLine(line(1, "Apply complete! Resources: 3 added"))).toBe(false);
  });
});

describe("findSeq", () => {
  test("finds a line by seq even when seqs have gaps", () => {
    const lines = [1, 2, 5, 9, 10].map((s) => line(s));
    expect(findSeq(lines, 9)).toBe(3);
    expect(findSeq(lines, 1)).toBe(0);
    expect(findSeq(lines, 4)).toBe(-1);
    expect(findSeq([], 1)).toBe(-1);
  });
});

describe("neighbour", () => {
  const errors = [3, 10, 42];

  test("next finds the first entry after the current one and wraps to the start", () => {
    expect(neighbour(errors, 3, 1)).toBe(1);
    expect(neighbour(errors, 5, 1)).toBe(1);
    expect(neighbour(errors, 42, 1)).toBe(0);
  });

  test("previous finds the last entry before the current one and wraps to the end", () => {
    expect(neighbour(errors, 10, -1)).toBe(0);
    expect(neighbour(errors, 11, -1)).toBe(1);
    expect(neighbour(errors, 3, -1)).toBe(2);
  });

  test("an empty list has no neighbour", () => {
    expect(neighbour([], 0, 1)).toBe(-1);
  });

  test("positionOf says which entry a line is, for 'match 2 of 3'", () => {
    expect(positionOf(errors, 10)).toBe(1);
    expect(positionOf(errors, 11)).toBe(-1);
    expect(positionOf(errors, -1)).toBe(-1);
  });
});

describe("escapeRegExp", () => {
  test("a query with regex characters matches literally", () => {
    const re = new RegExp(escapeRegExp("aws_instance.node[0] (x)"), "i");
    expect(re.test("module.aws_instance.node[0] (x): Creating...")).toBe(true);
    expect(re.test("aws_instance.node0 x")).toBe(false);
  });
});
