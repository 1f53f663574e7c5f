import { describe, expect, test } from "vitest";
import { markMatches, parseAnsi, readablePair, spanStyle, stripAnsi, xterm256 } from "@/lib/ansi";

const ESC = "\x1b";

describe("parseAnsi", () => {
  test("plain text becomes one unstyled span", () => {
    expect(parseAnsi("terraform apply")).toEqual([{ text: "terraform apply" }]);
  });

  test("an empty line has no spans", () => {
    expect(parseAnsi("")).toEqual([]);
    expect(parseAnsi(`${ESC}[0m`)).toEqual([]);
  });

  test("basic foreground colours and reset split the line into spans", () => {
    expect(parseAnsi(`ok ${ESC}[31mfailed${ESC}[0m done`)).toEqual([
      { text: "ok " },
      { text: "failed", fg: 1 },
      { text: " done" },
    ]);
  });

  test("bright colours map to palette 8-15 and backgrounds are kept apart from foregrounds", () => {
    expect(parseAnsi(`${ESC}[92;41mx`)).toEqual([{ text: "x", fg: 10, bg: 1 }]);
    expect(parseAnsi(`${ESC}[103mx`)).toEqual([{ text: "x", bg: 11 }]);
  });

  test("bold, dim, italic and underline turn on and off independently", () => {
    expect(parseAnsi(`${ESC}[1;3;4ma${ESC}[22mb${ESC}[23mc${ESC}[24md`)).toEqual([
      { text: "a", bold: true, italic: true, underline: true },
      { text: "b", italic: true, underline: true },
      { text: "c", underline: true },
      { text: "d" },
    ]);
    expect(parseAnsi(`${ESC}[2mfaint`)).toEqual([{ text: "faint", dim: true }]);
  });

  test("an empty SGR parameter list and a leading empty parameter both reset", () => {
    expect(parseAnsi(`${ESC}[1mA${ESC}[mB`)).toEqual([{ text: "A", bold: true }, { text: "B" }]);
    expect(parseAnsi(`${ESC}[31mA${ESC}[;1mB`)).toEqual([
      { text: "A", fg: 1 },
      { text: "B", bold: true },
    ]);
  });

  test("default foreground (39) and background (49) clear only their own colour", () => {
    expect(parseAnsi(`${ESC}[31;44mA${ESC}[39mB${ESC}[49mC`)).toEqual([
      { text: "A", fg: 1, bg: 4 },
      { text: "B", bg: 4 },
      { text: "C" },
    ]);
  });

  test("256-colour codes keep their palette index, in semicolon and colon forms", () => {
    expect(parseAnsi(`${ESC}[38;5;208mA${ESC}[48;5;17mB`)).toEqual([
      { text: "A", fg: 208 },
      { text: "B", fg: 208, bg: 17 },
    ]);
    expect(parseAnsi(`${ESC}[38:5:196mA`)).toEqual([{ text: "A", fg: 196 }]);
  });

  test("truecolor codes become hex colours, in semicolon and colon forms", () => {
    expect(parseAnsi(`${ESC}[38;2;255;128;0mA`)).toEqual([{ text: "A", fg: "#ff8000" }]);
    expect(parseAnsi(`${ESC}[48:2::0:0:255mA`)).toEqual([{ text: "A", bg: "#0000ff" }]);
    expect(parseAnsi(`${ESC}[38:2:1:2:3mA`)).toEqual([{ text: "A", fg: "#010203" }]);
  });

  test("parameters after an extended colour still apply", () => {
    expect(parseAnsi(`${ESC}[38;2;1;2;3;1mA`)).toEqual([{ text: "A", fg: "#010203", bold: true }]);
    expect(parseAnsi(`${ESC}[38;5;9;4mA`)).toEqual([{ text: "A", fg: 9, underline: true }]);
  });

  test("out-of-range colours are ignored rather than drawn wrong", () => {
    expect(parseAnsi(`${ESC}[38;5;300mA`)).toEqual([{ text: "A" }]);
    expect(parseAnsi(`${ESC}[38;2;256;0;0mA`)).toEqual([{ text: "A" }]);
  });

  test("cursor moves, erase codes, OSC hyperlinks and titles are stripped", () => {
    expect(parseAnsi(`${ESC}[2K${ESC}[1Gstep ${ESC}[?25lone${ESC}[?25h`)).toEqual([{ text: "step one" }]);
    expect(parseAnsi(`${ESC}]8;;https://x.test${ESC}\\link${ESC}]8;;${ESC}\\ text`)).toEqual([{ text: "link text" }]);
    expect(parseAnsi(`${ESC}]0;title\x07after`)).toEqual([{ text: "after" }]);
    expect(parseAnsi(`${ESC}(Bcharset${ESC}7`)).toEqual([{ text: "charset" }]);
  });

  test("stray control characters are dropped but tabs survive", () => {
    expect(parseAnsi("a\x07b\x00c\td")).toEqual([{ text: "abc\td" }]);
  });

  test("a carriage return redraw keeps only the last drawing of the line", () => {
    expect(parseAnsi("10%\r50%\r100% done")).toEqual([{ text: "100% done" }]);
  });

  test("a trailing carriage return does not erase the line", () => {
    expect(parseAnsi("windows line\r")).toEqual([{ text: "windows line" }]);
  });

  test("a truncated escape at the end of the line does not leak ESC into the text", () => {
    expect(stripAnsi(`done${ESC}`)).toBe("done");
  });

  test("style carries across a redraw", () => {
    expect(parseAnsi(`${ESC}[32mold\rnew`)).toEqual([{ text: "new", fg: 2 }]);
  });
});

describe("stripAnsi", () => {
  test("returns the visible text only", () => {
    expect(stripAnsi(`${ESC}[1;31mError:${ESC}[0m disk full`)).toBe("Error: disk full");
  });

  test("returns the same string when there is nothing to strip", () => {
    const s = "no escapes here";
    expect(stripAnsi(s)).toBe(s);
  });
});

describe("markMatches", () => {
  test("marks a match that crosses a colour boundary in both spans", () => {
    const spans = parseAnsi(`ab${ESC}[31mcd`);
    expect(markMatches(spans, /bc/gi)).toEqual([
      { text: "a" },
      { text: "b", mark: true },
      { text: "c", fg: 1, mark: true },
      { text: "d", fg: 1 },
    ]);
  });

  test("marks every occurrence, case-insensitively", () => {
    const marked = markMatches([{ text: "Err err ERR" }], /err/gi);
    expect(marked.filter((s) => s.mark).map((s) => s.text)).toEqual(["Err", "err", "ERR"]);
    expect(marked.map((s) => s.text).join("")).toBe("Err err ERR");
  });

  test("returns the spans unchanged when nothing matches", () => {
    const spans = [{ text: "fine" }];
    expect(markMatches(spans, /zzz/gi)).toBe(spans);
  });
});

describe("colours", () => {
  test("the 256-colour cube and grey ramp give xterm's RGB values", () => {
    expect(xterm256(16)).toEqual([0, 0, 0]);
    expect(xterm256(196)).toEqual([255, 0, 0]);
    expect(xterm256(231)).toEqual([255, 255, 255]);
    expect(xterm256(232)).toEqual([8, 8, 8]);
    expect(xterm256(255)).toEqual([238, 238, 238]);
  });

  test("a near-white colour is darkened for the light theme and kept for the dark one", () => {
    const { light, dark } = readablePair([250, 250, 250]);
    expect(parseInt(light.slice(1, 3), 16)).toBeLessThan(160);
    expect(dark).toBe("#fafafa");
  });

  test("a near-black colour is lightened for the dark theme and kept for the light one", () => {
    const { light, dark } = readablePair([10, 10, 10]);
    expect(light).toBe("#0a0a0a");
    expect(parseInt(dark.slice(1, 3), 16)).toBeGreaterThan(80);
  });

  test("basic colours use theme-aware classes and no inline style", () => {
    expect(spanStyle({ text: "x", fg: 1, bold: true })).toEqual({
      className: "text-red-700 dark:text-red-400 font-bold",
    });
  });

  test("truecolour uses CSS variables with a light and a dark variant", () => {
    const { className, style } = spanStyle({ text: "x", fg: "#ff8000", bg: 17 });
    expect(className).toContain("dark:text-(--ansi-fg-dark)");
    expect(style).toMatchObject({
      "--ansi-fg": expect.stringMatching(/^#/),
      "--ansi-fg-dark": "#ff8000",
      "--ansi-bg": "rgb(0 0 95 / 0.35)",
    });
  });
});
