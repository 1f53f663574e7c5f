import { describe, expect, test } from "vitest";
import { LineSplitter } from "@/server/runs/line-splitter";

const enc = (s: string) => new TextEncoder().encode(s);

describe("LineSplitter", () => {
  test("joins lines split across chunks and keeps the partial tail until the end", () => {
    const s = new LineSplitter();
    expect(s.push(enc("one\ntw"))).toEqual(["one"]);
    expect(s.push(enc("o\r\nthr"))).toEqual(["two"]);
    expect(s.end()).toEqual(["thr"]);
  });

  test("a UTF-8 character split between chunks is decoded whole", () => {
    const s = new LineSplitter();
    const bytes = enc("노드 준비\n");
    expect([...s.push(bytes.slice(0, 4)), ...s.push(bytes.slice(4))]).toEqual(["노드 준비"]);
  });

  test("a runaway line without a newline is cut into bounded pieces", () => {
    const s = new LineSplitter(10);
    const out = [...s.push(enc("x".repeat(25))), ...s.end()];
    expect(out).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
  });
});
