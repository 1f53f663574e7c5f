import { Card } from "@/components/ui/card";
import type { FailedStep } from "@/server/runs/summarize-failure";

// What went wrong, at the top of a failed run's page: the cause in words and the first error lines,
// each a link into the log.
export function FailureSummary({
  runId,
  steps,
  runError,
}: {
  runId: string;
  steps: FailedStep[];
  runError: string | null;
}) {
  return (
    <Card title="Why it failed" className="border-red-300 dark:border-red-900">
      {runError ? <p className="mb-3 text-sm break-words text-slate-700 dark:text-slate-300">{runError}</p> : null}
      <ul className="flex flex-col gap-3" data-testid="failure-summary">
        {steps.map((s) => (
          <li key={s.index}>
            <p className="text-sm font-medium break-words">
              {s.index >= 0 ? `Step ${s.index + 1}, ${s.title}: ` : ""}
              {s.causeSeq ? (
                <a
                  className="text-red-700 underline underline-offset-2 dark:text-red-400"
                  href={`/runs/${runId}#L${s.causeSeq}`}
                  data-testid="failure-cause"
                >
                  {s.cause.label}
                </a>
              ) : (
                <span className="text-red-700 dark:text-red-400" data-testid="failure-cause">
                  {s.cause.label}
                </span>
              )}
            </p>
            {s.lines.length ? (
              <ol className="mt-1 overflow-x-auto rounded bg-slate-950 p-2 font-mono text-xs text-slate-100">
                {s.lines.map((l) => (
                  <li key={l.seq} className="whitespace-pre">
                    <a className="mr-2 text-slate-500 hover:underline" href={`/runs/${runId}#L${l.seq}`}>
                      {l.seq}
                    </a>
                    {l.text}
                  </li>
                ))}
              </ol>
            ) : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}
