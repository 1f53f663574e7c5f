import { stripAnsi } from "@/lib/ansi";

// Where each log line sits when lines wrap: a line of N display columns in a box `cols` wide takes
// ceil(N / cols) rows. Monospace makes that exact (CJK and other wide characters take two columns, a tab
// up to eight), so the windowed viewer can still draw only what is on screen with wrapping on.

/** Display columns of a line as a monospace font draws it. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of stripAnsi(text)) {
    const c = ch.codePointAt(0)!;
    if (ch === "\t") w += 8 - (w % 8);
    else if (c < 0x20) continue;
    else if (
      (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff)
    )
      w += 2;
    else w += 1;
  }
  return w;
}

/** Top of each line in px when wrapped at `cols` columns: offsets[i] is line i's top, offsets[count] the total height. */
export function wrappedOffsets(count: number, textAt: (i: number) => string, cols: number, row: number): Float64Array {
  const out = new Float64Array(count + 1);
  const c = Math.max(1, cols);
  for (let i = 0; i < count; i++) out[i + 1] = out[i]! + row * Math.max(1, Math.ceil(displayWidth(textAt(i)) / c));
  return out;
}

/** The line at a y position (binary search over the offsets). */
export function lineAt(offsets: Float64Array, y: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}
