import { cn } from "@/components/ui/cn";
import { RUN_STATUS_LABELS, isRunStatus } from "@/lib/run-states";

// The one badge for every status the portal shows: health, run and step states.
const tone: Record<string, string> = {
  success: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  refused: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  error: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  ok: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  succeeded: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  degraded: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  cancelling: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  down: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  failed: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  interrupted: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  running: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  queued: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-300",
  awaiting_approval: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  rejected: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};
// "not provisioned" is neutral on purpose: nothing is broken, nothing is there yet.
const neutral = "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300";

export function StatusBadge({ status, className }: { status: string; className?: string }) {
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium",
        tone[status] ?? neutral,
        className,
      )}
    >
      <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-current" />
      {isRunStatus(status) ? RUN_STATUS_LABELS[status] : status}
    </span>
  );
}
