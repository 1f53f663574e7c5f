// The run ETA, as pure functions: the live run page ticks them once a second. Client-safe (no server imports).

import type { StepStatus } from "@/lib/run-states";

/** Median ms per step key from the last successful runs; `runs` is how many runs they come from (0: no history). */
export type StepMedians = { runs: number; steps: Record<string, number> };

type Step = { key: string; status: StepStatus; startedAt: string | null; finishedAt: string | null };

/** A step is "slower than usual" once its elapsed time passes this many times its median. */
export const SLOW_FACTOR = 1.5;
/** ...and runs at least this much longer than its median: a 1 s step taking 0.6 s more is not news. */
export const SLOW_MIN_EXTRA_MS = 10_000;

/** The estimate at one moment: ms done and left, the share done, and steps with no median to go on. */
export type RunEstimate = {
  elapsedMs: number;
  remainingMs: number;
  totalMs: number;
  fraction: number;
  unknownSteps: number;
};

const stepElapsed = (s: Step, now: number): number => {
  if (!s.startedAt) return 0;
  const end = s.finishedAt ? Date.parse(s.finishedAt) : now;
  return Math.max(0, end - Date.parse(s.startedAt));
};

/**
 * Finished steps count what they took; pending steps their median; the running step whichever is longer, its
 * median or what it has taken so far (a step past its median is assumed about to finish, never to go back in time).
 * Null when there is no history at all.
 */
export function estimateRun(steps: readonly Step[], medians: StepMedians, now: number): RunEstimate | null {
  if (!medians.runs) return null;
  let elapsedMs = 0;
  let remainingMs = 0;
  let unknownSteps = 0;
  for (const s of steps) {
    const median = medians.steps[s.key];
    if (s.status === "running") {
      const e = stepElapsed(s, now);
      elapsedMs += e;
      if (median === undefined) unknownSteps++;
      else remainingMs += Math.max(0, median - e);
    } else if (s.status === "pending") {
      if (median === undefined) unknownSteps++;
      else remainingMs += median;
    } else {
      elapsedMs += stepElapsed(s, now);
    }
  }
  const totalMs = elapsedMs + remainingMs;
  const running = steps.some((s) => s.status === "running" || s.status === "pending");
  // While anything is still to run, never claim 100%: the last percent is the step that is taking longer.
  const fraction = totalMs ? Math.min(elapsedMs / totalMs, running ? 0.99 : 1) : 0;
  return { elapsedMs, remainingMs, totalMs, fraction, unknownSteps };
}

/** The step's median when it ran (or is running) past SLOW_FACTOR × its median, else null. */
export function slowerThanUsual(step: Step, medians: StepMedians, now: number): number | null {
  const median = medians.steps[step.key];
  if (median === undefined || !median || !step.startedAt) return null;
  if (step.status !== "running" && step.status !== "succeeded" && step.status !== "failed") return null;
  const elapsed = stepElapsed(step, now);
  return elapsed > SLOW_FACTOR * median && elapsed - median >= SLOW_MIN_EXTRA_MS ? median : null;
}
