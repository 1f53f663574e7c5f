import type { SourceState } from "@/server/cluster/collect-health";
import type { SourceName } from "@/server/cluster/types";
import { SOURCE_TITLES } from "@/components/health/source-titles";

// The sources that failed this round, each with its own one-line error; the rest of the page still renders.
export function SourceErrors({ sources, only }: { sources: Record<SourceName, SourceState>; only?: SourceName[] }) {
  const failed = Object.values(sources).filter((s) => !s.ok && (!only || only.includes(s.source)));
  if (!failed.length) return null;
  return (
    <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950/40" data-testid="source-errors">
      {failed.map((s) => (
        <p key={s.source} data-testid={`source-error-${s.source}`}>
          <strong>{SOURCE_TITLES[s.source]}</strong> is unknown: {s.error}
        </p>
      ))}
    </div>
  );
}
