"use client";

// The log viewer's toolbar: jump to a step, search with match count and arrows, error-line arrows, wrap, download.
// Stateless: the viewer owns the log, the search and the scroll position.
import type { RunStep } from "@/lib/run-states";
import { Button } from "@/components/ui/button";

type Dir = 1 | -1;

export function LogToolbar(props: {
  steps?: readonly RunStep[];
  step: string;
  onStep: (step: number) => void;
  query: string;
  onQuery: (query: string) => void;
  countText: string;
  matches: number;
  onMatch: (dir: Dir) => void;
  errors: number;
  errorPos: number;
  onError: (dir: Dir) => void;
  wrap: boolean;
  onWrap: (wrap: boolean) => void;
  download: { href: string; label: string };
}) {
  const {
    steps,
    step,
    onStep,
    query,
    onQuery,
    countText,
    matches,
    onMatch,
    errors,
    errorPos,
    onError,
    wrap,
    onWrap,
    download,
  } = props;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      {steps ? (
        <select
          aria-label="Jump to step"
          value={step}
          onChange={(e) => e.target.value !== "" && onStep(Number(e.target.value))}
          className="max-w-full min-w-0 rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-950"
        >
          <option value="">Jump to step…</option>
          {steps.map((s) => (
            <option key={s.index} value={s.index}>
              {s.index + 1}. {s.title}
            </option>
          ))}
        </select>
      ) : null}
      <input
        type="search"
        data-testid="log-search"
        aria-label="Search the log"
        placeholder="Search"
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== "Enter") return;
          e.preventDefault();
          onMatch(e.shiftKey ? -1 : 1);
        }}
        className="w-48 rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-950"
      />
      <span
        data-testid="log-search-count"
        aria-live="polite"
        className="min-w-20 text-xs text-slate-600 tabular-nums dark:text-slate-400"
      >
        {countText}
      </span>
      <Button variant="ghost" size="sm" aria-label="Previous match" disabled={!matches} onClick={() => onMatch(-1)}>
        ↑
      </Button>
      <Button variant="ghost" size="sm" aria-label="Next match" disabled={!matches} onClick={() => onMatch(1)}>
        ↓
      </Button>
      <span className="mx-1 h-5 w-px bg-slate-300 dark:bg-slate-700" aria-hidden />
      <Button variant="ghost" size="sm" aria-label="Previous error line" disabled={!errors} onClick={() => onError(-1)}>
        ↑ error
      </Button>
      <Button variant="ghost" size="sm" aria-label="Next error line" disabled={!errors} onClick={() => onError(1)}>
        ↓ error
      </Button>
      <span className="text-xs text-slate-600 tabular-nums dark:text-slate-400">
        {errorPos >= 0 ? `${errorPos + 1} of ` : ""}
        {errors} error {errors === 1 ? "line" : "lines"}
      </span>
      <label className="flex items-center gap-1 text-xs text-slate-600 dark:text-slate-400">
        <input type="checkbox" data-testid="log-wrap" checked={wrap} onChange={(e) => onWrap(e.target.checked)} /> Wrap
        lines
      </label>
      <a
        href={download.href}
        download
        className="ml-auto text-sky-700 underline-offset-2 hover:underline dark:text-sky-400"
      >
        {download.label}
      </a>
    </div>
  );
}
