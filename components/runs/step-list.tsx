"use client";

import { estimateRun, slowerThanUsual, type StepMedians } from "@/lib/eta";
import { formatDuration } from "@/lib/format";
import type { RunStep } from "@/lib/run-states";
import { DONE_STEP_STATUSES } from "@/lib/run-states";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatClockUtc } from "@/components/ui/time";
import { useNow } from "@/components/ui/use-now";

function Ticking({ from }: { from: number }) {
  const t = useNow();
  return <>{t ? formatDuration(t - from) : "…"}</>;
}

/** A duration that ticks every second while `to` is null; "—" before it starts. */
export function LiveDuration({ from, to, className }: { from: string | null; to: string | null; className?: string }) {
  if (!from) return <span className={className}>—</span>;
  const start = Date.parse(from);
  return (
    <span className={className} title={to ? undefined : "still running"}>
      {to ? formatDuration(Date.parse(to) - start) : <Ticking from={start} />}
    </span>
  );
}

const DONE = new Set<RunStep["status"]>(DONE_STEP_STATUSES);

/** Share of the run done: finished steps count whole, the running step half. */
export function stepProgress(steps: readonly RunStep[]): number {
  if (!steps.length) return 0;
  const done = steps.reduce((n, s) => n + (DONE.has(s.status) ? 1 : s.status === "running" ? 0.5 : 0), 0);
  return done / steps.length;
}

/** The progress bar: by the medians of earlier successful runs when there are some, else by steps finished. */
function RunProgress({ steps, medians, live }: { steps: readonly RunStep[]; medians?: StepMedians; live: boolean }) {
  const now = useNow();
  const finished = steps.filter((s) => DONE.has(s.status)).length;
  const active = live && steps.some((s) => s.status === "running" || s.status === "pending");
  const estimate = medians && now ? estimateRun(steps, medians, now) : null;
  const pct = Math.round((estimate ? estimate.fraction : stepProgress(steps)) * 100);
  let eta: React.ReactNode = null;
  if (medians && active) {
    if (!medians.runs) eta = "no estimate yet (no earlier successful run)";
    else if (estimate) {
      const unknown = estimate.unknownSteps
        ? ` (${estimate.unknownSteps} step${estimate.unknownSteps === 1 ? "" : "s"} without history)`
        : "";
      eta =
        estimate.remainingMs > 0
          ? `about ${formatDuration(estimate.remainingMs)} left, done around ${formatClockUtc(now + estimate.remainingMs)}${unknown}`
          : `about to finish${unknown}`;
    }
  }
  return (
    <div>
      <div className="mb-1 flex justify-between text-xs text-slate-600 dark:text-slate-400">
        <span>
          {finished} of {steps.length} steps finished
        </span>
        <span title={estimate ? `based on the medians of the last ${medians!.runs} successful run(s)` : undefined}>
          {pct}%
        </span>
      </div>
      <div
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        className="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        <div className="h-full rounded-full bg-sky-600 transition-[width] duration-500" style={{ width: `${pct}%` }} />
      </div>
      {eta ? (
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-400" data-testid="run-eta">
          {eta}
        </p>
      ) : null}
    </div>
  );
}

/** "slower than usual" under a step whose time passed 1.5x its median (ticks while the step runs). */
function SlowNote({ step, medians }: { step: RunStep; medians: StepMedians }) {
  const now = useNow();
  const median = now ? slowerThanUsual(step, medians, now) : null;
  if (median === null) return null;
  return (
    <span className="text-amber-700 dark:text-amber-400" data-testid="slow-note">
      slower than usual: median {formatDuration(median)}
    </span>
  );
}

/**
 * The run's steps with status, duration and exit code; choosing one asks the log viewer to jump to its output.
 * With `medians` (from earlier successful runs) it shows an ETA while the run is `live`, and flags steps slower than usual.
 */
export function StepList({
  steps,
  onSelect,
  medians,
  live = true,
}: {
  steps: readonly RunStep[];
  onSelect?: (index: number) => void;
  medians?: StepMedians;
  live?: boolean;
}) {
  return (
    <div className="flex flex-col gap-3">
      <RunProgress steps={steps} medians={medians} live={live} />
      <ol className="flex flex-col gap-1">
        {steps.map((step) => (
          <li key={step.index} data-testid={`step-${step.index}`} data-status={step.status}>
            <button
              type="button"
              onClick={() => onSelect?.(step.index)}
              aria-label={`${step.title}: ${step.status}. Show its log`}
              className="flex w-full flex-col gap-1 rounded-md px-2 py-1.5 text-left text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
            >
              <span className="flex w-full items-center gap-2">
                <span className="w-5 shrink-0 text-right text-xs text-slate-500 tabular-nums">{step.index + 1}</span>
                <span className="min-w-0 flex-1 font-medium break-words">{step.title}</span>
                <StatusBadge status={step.status} />
              </span>
              <span className="flex gap-3 pl-7 text-xs text-slate-600 tabular-nums dark:text-slate-400">
                {step.status === "running" || step.finishedAt ? (
                  <LiveDuration from={step.startedAt} to={step.finishedAt} />
                ) : (
                  <span>—</span>
                )}
                {step.exitCode !== null ? (
                  <span className={step.exitCode ? "text-red-700 dark:text-red-400" : undefined}>
                    exit {step.exitCode}
                  </span>
                ) : null}
                {medians && medians.steps[step.key] !== undefined && step.startedAt ? (
                  <SlowNote step={step} medians={medians} />
                ) : null}
                {step.truncated ? (
                  <span
                    className="text-amber-700 dark:text-amber-400"
                    title="This step's output passed the size cap; the rest was not stored."
                  >
                    log truncated
                  </span>
                ) : null}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}
