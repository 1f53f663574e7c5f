import { expect, test } from "vitest";
import { stripTerminalEscapes } from "@/server/cli/terminal-text";

test("colours, cursor moves, line erases, window titles, clipboard writes and 8-bit CSI are removed; the text stays", () => {
  expect(stripTerminalEscapes("\x1b[31mred\x1b[0m plain")).toBe("red plain");
  expect(stripTerminalEscapes("step failed\x1b[1A\x1b[2K\rstep succeeded")).toBe("step failedstep succeeded");
  expect(stripTerminalEscapes("a\x1b]0;pwned\x07b")).toBe("ab");
  expect(stripTerminalEscapes("a\x1b]52;c;cm0gLXJmIH4=\x1b\\b")).toBe("ab");
  expect(stripTerminalEscapes("a\u009b2Jb")).toBe("ab");
  expect(stripTerminalEscapes("a\x1bcb")).toBe("ab"); // RIS: full terminal reset
  expect(stripTerminalEscapes("back\b\b\b\bspace\x00")).toBe("backspace");
});

test("ordinary text, tabs and non-Latin text pass unchanged", () => {
  const text = "TASK [kubeadm]\t클러스터 재구축 ok=3 changed=1 (100%)";
  expect(stripTerminalEscapes(text)).toBe(text);
});
