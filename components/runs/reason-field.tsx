"use client";

import { useId } from "react";
import { humanFieldError, lengthProblem } from "@/components/ui/human-errors";
import { cn } from "@/components/ui/cn";

// The reason a run is started for: a live counter against the server's limits, and its errors in words.
// Not capped with maxLength: a pasted 3,400-character reason stays whole, so its author can cut it down.

/** The server's rule (server/runs/start-run.ts): 3 to 500 characters after trimming. */
export const REASON_MIN = 3;
export const REASON_MAX = 500;

/** True when the reason passes the server's length rule. */
export const reasonFits = (reason: string) => reason.trim().length >= REASON_MIN && reason.trim().length <= REASON_MAX;

export function ReasonField({
  value,
  onChange,
  serverErrors,
  label = "Reason",
}: {
  value: string;
  onChange: (v: string) => void;
  serverErrors?: string[];
  label?: string;
}) {
  const hintId = useId();
  const counterId = useId();
  const length = value.trim().length;
  const problem = lengthProblem(length, REASON_MIN, REASON_MAX);
  const errors = problem ? [problem] : (serverErrors ?? []).map(humanFieldError);
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="font-medium">{label}</span>
      <span id={hintId} className="text-xs text-slate-600 dark:text-slate-400">
        {REASON_MIN} to {REASON_MAX} characters; kept in the run history.
      </span>
      <textarea
        data-testid="confirm-reason"
        name="reason"
        required
        minLength={REASON_MIN}
        aria-describedby={`${hintId} ${counterId}`}
        autoFocus
        rows={3}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={errors.length ? true : undefined}
        className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950 aria-[invalid=true]:border-red-500"
      />
      <span className="flex justify-between gap-2 text-xs">
        <span
          role={errors.length ? "alert" : undefined}
          className="text-red-600 dark:text-red-400"
          data-testid="reason-error"
        >
          {errors.join(" ")}
        </span>
        <span
          id={counterId}
          data-testid="reason-counter"
          className={cn(
            "shrink-0 tabular-nums",
            length > REASON_MAX ? "font-semibold text-red-600 dark:text-red-400" : "text-slate-500",
          )}
        >
          {length.toLocaleString("en-US")} / {REASON_MAX}
        </span>
      </span>
    </label>
  );
}
