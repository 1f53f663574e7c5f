import { formatDuration } from "@/components/runs/format";

// Labels the history views share.

/** "+1m 05s" / "−30s" / "+0.6s" / "±0s": how much slower (+) or faster (−) run B was, as precise as the durations shown. */
export function formatDelta(ms: number): string {
  if (Math.abs(ms) < 50) return "±0s";
  return `${ms > 0 ? "+" : "−"}${formatDuration(Math.abs(ms))}`;
}

/** "Mar 16": a week's Monday as the chart axis shows it. */
export function formatWeek(week: string): string {
  return new Date(`${week}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

/** "80%", or "—" for a week with no finished run. */
export const formatRate = (r: number | null) => (r === null ? "—" : `${Math.round(r * 100)}%`);

export { formatDuration };
