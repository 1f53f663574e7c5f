"use client";

import { INTERVALS, setRefreshInterval, useRefreshInterval } from "@/components/health/use-refresh-interval";
import { age } from "@/lib/format";
import { useNow } from "@/components/ui/use-now";
import { formatUtc } from "@/components/ui/time";

// "Updated 4 s ago" (when the worker read the cluster), a stale marker when the reading is old or polls
// fail or lag, and the interval picker.
export function LiveStatus({
  reading,
  fetchedAt,
  fetching,
  error,
}: {
  reading: { at: string; stale: string | null };
  fetchedAt: number;
  fetching: boolean;
  error: string | null;
}) {
  const seconds = useRefreshInterval();
  // 0 while hydrating: the server's and the browser's "now" differ, so the first text is allowed to differ too.
  const now = useNow();
  const updatedAt = Date.parse(reading.at);
  const late = now > 0 && seconds > 0 && now - fetchedAt > seconds * 2000 + 5000;
  const why = error ?? reading.stale ?? (late ? "The last refresh is late." : null);
  return (
    <div
      className="flex flex-wrap items-center gap-3 text-xs text-slate-600 dark:text-slate-400"
      data-testid="live-status"
    >
      <span aria-live="polite">
        Updated{" "}
        {/* Before the browser's clock starts (server render, hydration) the time itself, which both sides agree on. */}
        <span data-testid="updated-ago" title={formatUtc(updatedAt)}>
          {now ? `${age(updatedAt, now)} ago` : `at ${formatUtc(updatedAt).slice(11)}`}
        </span>
        {fetching ? " · refreshing…" : ""}
      </span>
      {why ? (
        <span
          className="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-800 dark:bg-amber-950 dark:text-amber-300"
          data-testid="stale"
          title={why}
        >
          stale{error || reading.stale ? `: ${why}` : ""}
        </span>
      ) : null}
      <label className="flex items-center gap-1">
        Refresh
        <select
          className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-950"
          value={seconds}
          onChange={(e) => setRefreshInterval(Number(e.target.value))}
          aria-label="Refresh interval"
        >
          {INTERVALS.map((s) => (
            <option key={s} value={s}>
              {s ? `every ${s} s` : "paused"}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
