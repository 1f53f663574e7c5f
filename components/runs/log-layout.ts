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
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1faff)
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

// The window of rows the viewer draws, and the scroll positions that bring a line into view.
export const ROW = 20; // px, matches h-5/leading-5 below: fixed rows are what make the windowing O(visible rows)
const OVERSCAN = 30;
// Browsers cap an element's height (Firefox near 17.9M px); past this the scrollbar is scaled instead.
const MAX_SCROLL_PX = 8_000_000;

/** Line tops when lines wrap (see log-layout.ts); without it every line is one ROW high. */
export type Offsets = Float64Array | null;
export const topOf = (i: number, offsets: Offsets) => (offsets ? offsets[i]! : i * ROW);

/** Which rows to draw for a scroll position; `shift` places them under the viewport when the scrollbar is scaled. */
export function windowFor(scrollTop: number, viewH: number, count: number, offsets: Offsets = null) {
  const total = topOf(count, offsets);
  const scrollH = Math.min(total, MAX_SCROLL_PX);
  const ratio = scrollH > viewH ? (total - viewH) / (scrollH - viewH) : 1;
  const virtualTop = scrollTop * ratio;
  const first = Math.max(0, (offsets ? lineAt(offsets, virtualTop) : Math.floor(virtualTop / ROW)) - OVERSCAN);
  const last = Math.min(
    count,
    (offsets ? lineAt(offsets, virtualTop + viewH) + 1 : Math.ceil((virtualTop + viewH) / ROW)) + OVERSCAN,
  );
  return { scrollH, ratio, first, last, shift: scrollTop - virtualTop };
}

/** The scrollTop that shows line `index` at the top of the viewport, or centred. */
export function scrollTopFor(
  index: number,
  viewH: number,
  count: number,
  align: "start" | "center",
  offsets: Offsets = null,
) {
  const { ratio } = windowFor(0, viewH, count, offsets);
  const height = topOf(index + 1, offsets) - topOf(index, offsets);
  const want = topOf(index, offsets) - (align === "center" ? (viewH - height) / 2 : 0);
  return Math.max(0, Math.min(topOf(count, offsets) - viewH, want)) / ratio;
}
