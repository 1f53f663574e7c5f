import type { SourceState } from "@/server/cluster/health/collect-health";
import type { SourceName } from "@/server/cluster/health/types";
import { explainSourceError } from "@/components/health/explain-error";
import { SOURCE_TITLES } from "@/lib/health-sources";

// The sources that failed this round, each as a sentence with its cause and next step (the raw error one
// click away); the rest of the page still renders. Not shown for a cluster that is not provisioned: one
// notice says that instead of seven errors.
export function SourceErrors({
  sources,
  only,
  provisioned = null,
}: {
  sources: Record<SourceName, SourceState>;
  only?: SourceName[];
  provisioned?: boolean | null;
}) {
  const failed = Object.values(sources).filter((s) => !s.ok && (!only || only.includes(s.source)));
  if (!failed.length || provisioned === false) return null;
  return (
    <div
      role="status"
      className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950/40"
      data-testid="source-errors"
    >
      {failed.map((s) => (
        <SourceError key={s.source} source={s.source} error={s.error ?? undefined} />
      ))}
    </div>
  );
}

/** One source's error in words, with the raw text under "Details". */
export function SourceError({
  source,
  error,
  className,
}: {
  source: SourceName;
  error: string | undefined;
  className?: string;
}) {
  const e = explainSourceError(source, error);
  return (
    <div data-testid={`source-error-${source}`} className={className}>
      <p>
        <strong className="sr-only">{SOURCE_TITLES[source]}: </strong>
        {e.text} <span className="text-slate-700 dark:text-slate-300">{e.next}</span>
      </p>
      {error ? (
        <details className="text-xs text-slate-600 dark:text-slate-400">
          <summary className="cursor-pointer">Details</summary>
          <code className="break-all">{error}</code>
        </details>
      ) : null}
    </div>
  );
}
