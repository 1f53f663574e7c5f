import { expect, test } from "vitest";
import { displayWidth, lineAt, wrappedOffsets } from "@/components/runs/log-layout";

test("display width counts Hangul double, tabs to the next stop, and ignores colour codes", () => {
  expect(displayWidth("abc")).toBe(3);
  expect(displayWidth("노드")).toBe(4);
  expect(displayWidth("a\tb")).toBe(9);
  expect(displayWidth("\u001b[31mred\u001b[0m")).toBe(3);
});

test("wrapped lines take as many rows as their width needs, and y positions map back to lines", () => {
  const texts = ["short", "x".repeat(25), "", "가".repeat(10)];
  const off = wrappedOffsets(texts.length, (i) => texts[i]!, 10, 20);
  expect([...off]).toEqual([0, 20, 80, 100, 140]);
  expect(lineAt(off, 0)).toBe(0);
  expect(lineAt(off, 19)).toBe(0);
  expect(lineAt(off, 20)).toBe(1);
  expect(lineAt(off, 79)).toBe(1);
  expect(lineAt(off, 139)).toBe(3);
  expect(lineAt(off, 10_000)).toBe(3);
});
