// ANSI SGR text -> styled spans, plus the colour -> CSS mapping the log viewer uses. Pure, so it is unit-tested.

/** A palette index (0-15 basic, 16-255 xterm) or a truecolor "#rrggbb". */
export type AnsiColor = number | string;

/** One run of text with a single style. */
export type AnsiSpan = {
  text: string;
  fg?: AnsiColor;
  bg?: AnsiColor;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
};

type Style = Omit<AnsiSpan, "text">;

// CSI (group 1 = params, group 2 = final byte), OSC (hyperlinks, titles), DCS/PM/APC strings, other two-byte escapes,
// 8-bit CSI, a lone ESC, and the C0 controls a log line should never show. Tab and \r are handled separately.
const ESCAPES =
  /\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\|$)|\x1b[PX^_][^\x1b]*(?:\x1b\\|$)|\x1b[ -/]*[0-~]?|\x9b[0-?]*[ -/]*[@-~]|\r|[\x00-\x08\x0b-\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;

function hex(r: number, g: number, b: number): string {
  return `#${[r, g, b]
    .map((v) =>
      Math.max(0, Math.min(255, Math.round(v)))
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

// Reads an extended colour (38/48) from `args`; returns the colour (or undefined) and how many args it used.
function extendedColor(args: number[]): [AnsiColor | undefined, number] {
  const [mode, a, b, c] = args;
  if (mode === 5) return [a !== undefined && a >= 0 && a <= 255 ? a : undefined, 2];
  if (mode === 2) {
    const ok = [a, b, c].every((v) => v !== undefined && Number.isFinite(v) && v >= 0 && v <= 255);
    return [ok ? hex(a!, b!, c!) : undefined, 4];
  }
  return [undefined, 1];
}

function applySgr(prev: Style, params: string): Style {
  const s: Style = { ...prev };
  const parts = params === "" ? ["0"] : params.split(";");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.includes(":")) {
      // ITU colon form: 38:5:n, 38:2::r:g:b (with colour-space id) or 38:2:r:g:b; 4:n is an underline style.
      const sub = part.split(":").map((v) => (v === "" ? NaN : Number(v)));
      if (sub[0] === 38 || sub[0] === 48) {
        const rgb = sub[1] === 2 && sub.length >= 6 ? [2, ...sub.slice(3, 6)] : sub.slice(1);
        const [color] = extendedColor(rgb);
        if (sub[0] === 38) s.fg = color;
        else s.bg = color;
      } else if (sub[0] === 4) s.underline = sub[1] !== 0;
      continue;
    }
    const n = part === "" ? 0 : Number(part);
    if (n === 0) {
      for (const k of Object.keys(s) as (keyof Style)[]) delete s[k];
    } else if (n === 1) s.bold = true;
    else if (n === 2) s.dim = true;
    else if (n === 3) s.italic = true;
    else if (n === 4 || n === 21) s.underline = true;
    else if (n === 22) s.bold = s.dim = undefined;
    else if (n === 23) s.italic = undefined;
    else if (n === 24) s.underline = undefined;
    else if (n >= 30 && n <= 37) s.fg = n - 30;
    else if (n === 39) s.fg = undefined;
    else if (n >= 40 && n <= 47) s.bg = n - 40;
    else if (n === 49) s.bg = undefined;
    else if (n >= 90 && n <= 97) s.fg = n - 90 + 8;
    else if (n >= 100 && n <= 107) s.bg = n - 100 + 8;
    else if (n === 38 || n === 48) {
      const [color, used] = extendedColor(parts.slice(i + 1, i + 5).map(Number));
      if (n === 38) s.fg = color;
      else s.bg = color;
      i += used;
    }
  }
  for (const k of Object.keys(s) as (keyof Style)[]) if (s[k] === undefined || s[k] === false) delete s[k];
  return s;
}

function sameStyle(a: Style, b: Style): boolean {
  return (
    a.fg === b.fg &&
    a.bg === b.bg &&
    !a.bold === !b.bold &&
    !a.dim === !b.dim &&
    !a.italic === !b.italic &&
    !a.underline === !b.underline
  );
}

/** Parses one line of terminal output into styled spans; every non-SGR escape sequence is dropped. */
export function parseAnsi(input: string): AnsiSpan[] {
  const out: AnsiSpan[] = [];
  let style: Style = {};
  let last = 0;
  let overwrite = false;
  const emit = (text: string) => {
    if (!text) return;
    // A progress bar redraws the line after \r: keep the last drawing, as a terminal would show it.
    if (overwrite) out.length = 0;
    overwrite = false;
    const prev = out[out.length - 1];
    if (prev && sameStyle(prev, style)) prev.text += text;
    else out.push({ text, ...style });
  };
  for (const m of input.matchAll(ESCAPES)) {
    emit(input.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0] === "\r") overwrite = true;
    else if (m[2] === "m") style = applySgr(style, m[1] ?? "");
  }
  emit(input.slice(last));
  return out;
}

/** The text a reader sees, without escape codes (for search and error detection). */
export function stripAnsi(input: string): string {
  if (!/[\x00-\x08\x0b-\x1f\x7f\x9b]/.test(input)) return input; // fast path: most lines have no escapes
  return parseAnsi(input)
    .map((s) => s.text)
    .join("");
}

/** Splits spans so every match of `re` (which must have the g flag) becomes its own span with `mark: true`. */
export function markMatches(spans: AnsiSpan[], re: RegExp): (AnsiSpan & { mark?: boolean })[] {
  const plain = spans.map((s) => s.text).join("");
  const ranges: [number, number][] = [];
  for (const m of plain.matchAll(re)) if (m[0]) ranges.push([m.index, m.index + m[0].length]);
  if (!ranges.length) return spans;
  const out: (AnsiSpan & { mark?: boolean })[] = [];
  let pos = 0;
  for (const span of spans) {
    const end = pos + span.text.length;
    let cut = pos;
    for (const [a, b] of ranges) {
      if (b <= cut || a >= end) continue;
      if (a > cut) out.push({ ...span, text: plain.slice(cut, a) });
      const stop = Math.min(b, end);
      out.push({ ...span, text: plain.slice(Math.max(a, cut), stop), mark: true });
      cut = stop;
    }
    if (cut < end) out.push({ ...span, text: plain.slice(cut, end) });
    pos = end;
  }
  return out;
}

// Basic colours as Tailwind pairs: darker shades on the light theme, lighter on the dark one, so "white" and
// "black" stay readable on both backgrounds.
const FG16 = [
  "text-slate-900 dark:text-slate-500",
  "text-red-700 dark:text-red-400",
  "text-green-700 dark:text-green-400",
  "text-amber-700 dark:text-yellow-300",
  "text-blue-700 dark:text-blue-400",
  "text-fuchsia-700 dark:text-fuchsia-400",
  "text-cyan-700 dark:text-cyan-400",
  "text-slate-600 dark:text-slate-300",
  "text-slate-500 dark:text-slate-400",
  "text-red-600 dark:text-red-300",
  "text-green-600 dark:text-green-300",
  "text-amber-600 dark:text-yellow-200",
  "text-blue-600 dark:text-blue-300",
  "text-fuchsia-600 dark:text-fuchsia-300",
  "text-cyan-600 dark:text-cyan-300",
  "text-slate-800 dark:text-white",
];
// Translucent backgrounds read on both themes without a second shade.
const BG16 = [
  "bg-slate-900/30",
  "bg-red-500/30",
  "bg-green-500/30",
  "bg-yellow-500/30",
  "bg-blue-500/30",
  "bg-fuchsia-500/30",
  "bg-cyan-500/30",
  "bg-slate-400/30",
  "bg-slate-500/30",
  "bg-red-400/30",
  "bg-green-400/30",
  "bg-yellow-400/30",
  "bg-blue-400/30",
  "bg-fuchsia-400/30",
  "bg-cyan-400/30",
  "bg-slate-200/40",
];

/** The RGB of an xterm 256-colour index from 16 up (the 6x6x6 cube, then the grey ramp). */
export function xterm256(index: number): [number, number, number] {
  if (index >= 232) {
    const v = 8 + (index - 232) * 10;
    return [v, v, v];
  }
  const i = index - 16;
  const level = (n: number) => (n === 0 ? 0 : 55 + n * 40);
  return [level(Math.floor(i / 36)), level(Math.floor(i / 6) % 6), level(i % 6)];
}

function luminance([r, g, b]: number[]): number {
  const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

/** A light-theme and a dark-theme variant of one colour, each nudged until it reads on that theme's background. */
export function readablePair(rgb: [number, number, number]): { light: string; dark: string } {
  let light = rgb.map((v) => v);
  for (let i = 0; i < 12 && luminance(light) > 0.3; i++) light = light.map((v) => v * 0.85);
  let dark = rgb.map((v) => v);
  for (let i = 0; i < 12 && luminance(dark) < 0.12; i++) dark = dark.map((v) => v + (255 - v) * 0.2);
  return { light: hex(light[0]!, light[1]!, light[2]!), dark: hex(dark[0]!, dark[1]!, dark[2]!) };
}

function rgbOf(color: AnsiColor): [number, number, number] {
  if (typeof color === "number") return xterm256(color);
  const n = parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Class names and CSS custom properties that draw a span; 256/truecolour go through variables so `dark:` still applies. */
export function spanStyle(span: AnsiSpan): { className: string; style?: Record<string, string> } {
  const classes: string[] = [];
  const style: Record<string, string> = {};
  if (span.fg !== undefined) {
    if (typeof span.fg === "number" && span.fg < 16) classes.push(FG16[span.fg]!);
    else {
      const { light, dark } = readablePair(rgbOf(span.fg));
      style["--ansi-fg"] = light;
      style["--ansi-fg-dark"] = dark;
      classes.push("text-(--ansi-fg) dark:text-(--ansi-fg-dark)");
    }
  }
  if (span.bg !== undefined) {
    if (typeof span.bg === "number" && span.bg < 16) classes.push(BG16[span.bg]!);
    else {
      const [r, g, b] = rgbOf(span.bg);
      style["--ansi-bg"] = `rgb(${r} ${g} ${b} / 0.35)`;
      classes.push("bg-(--ansi-bg)");
    }
  }
  if (span.bold) classes.push("font-bold");
  if (span.dim) classes.push("opacity-70");
  if (span.italic) classes.push("italic");
  if (span.underline) classes.push("underline");
  return Object.keys(style).length ? { className: classes.join(" "), style } : { className: classes.join(" ") };
}
