"use client";

// Searching a log: the query is scanned a slice per task over the lines held, so typing stays responsive.
import { useEffect, useRef, useState } from "react";
import { stripAnsi } from "@/lib/ansi";
import { escapeRegExp, type LogLine } from "@/components/runs/log-index";

const SEARCH_SLICE = 20_000;
type SearchJob = {
  query: string;
  re: RegExp | null;
  matches: number[];
  scanned: number;
  timer?: ReturnType<typeof setTimeout>;
};

/**
 * Indexes of the lines containing `query` (case-insensitive). A million lines are scanned a slice per task so typing
 * stays responsive; `done` is false meanwhile, and the result grows as new lines arrive.
 */
export function useLogSearch(lines: readonly LogLine[], version: number, query: string) {
  const job = useRef<SearchJob | null>(null);
  const [result, setResult] = useState({ query: "", matches: [] as number[], done: true });
  useEffect(() => {
    if (!job.current || job.current.query !== query) {
      clearTimeout(job.current?.timer);
      job.current = { query, re: query ? new RegExp(escapeRegExp(query), "i") : null, matches: [], scanned: 0 };
    }
    const current = job.current;
    const re = current.re;
    if (!re || current.timer !== undefined || current.scanned >= lines.length) return;
    const slice = () => {
      const end = Math.min(lines.length, current.scanned + SEARCH_SLICE);
      for (let i = current.scanned; i < end; i++) if (re.test(stripAnsi(lines[i]!.x))) current.matches.push(i);
      current.scanned = end;
      current.timer = end < lines.length ? setTimeout(slice, 0) : undefined;
      setResult({ query: current.query, matches: current.matches, done: current.timer === undefined });
    };
    current.timer = setTimeout(slice, 0);
  }, [lines, version, query]);
  // Cleared rather than kept so a Strict Mode remount starts a fresh scan instead of waiting on a cancelled timer.
  useEffect(
    () => () => {
      clearTimeout(job.current?.timer);
      job.current = null;
    },
    [],
  );
  return result.query === query ? result : { query, matches: [] as number[], done: !query };
}
