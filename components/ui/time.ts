// The portal's one time convention: 24-hour UTC, with the zone written out ("2026-03-16 09:44:12 UTC").
// Runs, audit, the ETA and chart axes all use it, so a time copied from one page matches every other.
// Client-safe and deterministic (no locale, no local zone), so server and browser render the same text.

const pad = (n: number) => String(n).padStart(2, "0");
const toDate = (t: string | number | Date) => (t instanceof Date ? t : new Date(t));

/** "2026-03-16 09:44:12 UTC"; "—" for a missing or invalid time. */
export function formatUtc(t: string | number | Date | null | undefined): string {
  if (t === null || t === undefined) return "—";
  const d = toDate(t);
  if (Number.isNaN(d.getTime())) return "—";
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "09:44 UTC", or "09:44:12 UTC" with seconds. */
export function formatClockUtc(t: string | number | Date, seconds = false): string {
  const d = toDate(t);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${seconds ? `:${pad(d.getUTCSeconds())}` : ""} UTC`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// Tick steps a reader can count in: seconds, minutes, hours, days.
const STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 345600, 604800,
].map((s) => s * 1000);

/** At most `max` ticks on round UTC times between `from` and `to` (ms), with a label format that tells each apart. */
export function timeTicks(from: number, to: number, max = 6): { ticks: number[]; label: (t: number) => string } {
  const span = Math.max(1, to - from);
  const step = STEPS.find((s) => span / s <= max) ?? STEPS[STEPS.length - 1]!;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  const label = (t: number) => {
    const d = new Date(t);
    if (step >= 86_400_000) return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
    const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${step < 60_000 ? `:${pad(d.getUTCSeconds())}` : ""}`;
    // Across days, a tick at midnight names its day so "00:00" is not ambiguous.
    return span > 86_400_000 && d.getUTCHours() === 0 && d.getUTCMinutes() === 0
      ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`
      : clock;
  };
  return { ticks, label };
}
