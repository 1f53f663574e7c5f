import { formatDuration } from "@/lib/format";

// The run's steps on one time axis (a Gantt chart): where the time went, at a glance. Fed by the live run
// snapshot, so bars grow while steps run; `now` ends the running bars.
type Step = { index: number; title: string; status: string; startedAt: string | null; finishedAt: string | null };

const BAR: Record<string, string> = {
  succeeded: "bg-emerald-500",
  failed: "bg-red-500",
  cancelled: "bg-amber-500",
  running: "bg-sky-500 animate-pulse",
};

/** The latest moment the run's own data knows of: a deterministic "now" for server and first client render. */
export function lastKnownTime(startedAt: string, steps: Step[]): number {
  return Math.max(
    Date.parse(startedAt),
    ...steps
      .flatMap((s) => [s.startedAt, s.finishedAt])
      .filter((t): t is string => t !== null)
      .map(Date.parse),
  );
}

export function StepGantt({
  startedAt,
  finishedAt,
  steps,
  now,
}: {
  startedAt: string | null;
  finishedAt: string | null;
  steps: Step[];
  now: number;
}) {
  if (!startedAt) return null;
  const t0 = Date.parse(startedAt);
  const end = finishedAt ? Date.parse(finishedAt) : Math.max(now, t0);
  const span = Math.max(1, end - t0);
  return (
    <figure aria-label="Step timeline" className="flex flex-col gap-2 sm:gap-1" data-testid="step-gantt">
      {steps.map((s) => {
        const a = s.startedAt ? Date.parse(s.startedAt) : null;
        const b = s.finishedAt ? Date.parse(s.finishedAt) : a !== null ? end : null;
        const left = a === null ? 0 : ((a - t0) / span) * 100;
        const width = a === null || b === null ? 0 : Math.max(0.5, ((b - a) / span) * 100);
        return (
          // Names wrap rather than being cut off; on a phone the name sits above its bar.
          <div
            key={s.index}
            data-testid={`gantt-${s.index}`}
            data-status={s.status}
            className="grid grid-cols-[1fr_4.5rem] items-center gap-x-2 text-xs sm:grid-cols-[minmax(10rem,18rem)_1fr_4.5rem]"
          >
            <span className="col-span-2 break-words text-slate-600 sm:col-span-1 dark:text-slate-400">
              {s.index + 1}. {s.title}
            </span>
            <span className="relative h-3 rounded bg-slate-100 dark:bg-slate-800">
              {a !== null ? (
                <span
                  className={`absolute inset-y-0 rounded ${BAR[s.status] ?? "bg-slate-400"}`}
                  style={{ left: `${left}%`, width: `${width}%` }}
                />
              ) : null}
            </span>
            <span className="text-right tabular-nums text-slate-600 dark:text-slate-400" data-testid="gantt-duration">
              {a !== null && b !== null ? formatDuration(b - a) : s.status}
            </span>
          </div>
        );
      })}
      <figcaption className="mt-1 text-xs text-slate-500">Total {formatDuration(span)}</figcaption>
    </figure>
  );
}
