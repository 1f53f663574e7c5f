"use client";

import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { stripAnsi } from "@/lib/ansi";
import type { RunSnapshot, RunStatus } from "@/lib/run-states";
import { createFrameStore } from "@/components/ui/frame-store";

export type { RunSnapshot, RunStatus, RunStep } from "@/lib/run-states";
/** One stored log line (`event: lines`); `x` may hold ANSI escape codes. */
export type LogLine = { seq: number; step: number | null; t: string; s: "stdout" | "stderr" | "system"; x: string };
/** Where the stream is: EventSource retries on its own while "reconnecting". */
export type ConnectionState = "connecting" | "live" | "reconnecting" | "ended";

/**
 * The log of one run, append-only. Lines are pushed in place (never copied) and the indexes the viewer
 * needs are built as lines arrive, so a million-line log costs one pass, not one pass per render.
 */
export type LogIndex = { lines: LogLine[]; errors: number[]; stepStart: Map<number, number>; lastSeq: number };

/** An empty log. */
export function createLogIndex(): LogIndex {
  return { lines: [], errors: [], stepStart: new Map(), lastSeq: -Infinity };
}

const ERROR_WORDS = /error|fatal|failed/i;

/** Lines the "next error" buttons stop at: stderr, or words that mean something went wrong. */
export function isErrorLine(line: LogLine): boolean {
  return line.s === "stderr" || ERROR_WORDS.test(stripAnsi(line.x));
}

/** Appends a batch in place, skipping any seq already held (replays after a reconnect); returns how many were new. */
export function appendLines(log: LogIndex, batch: readonly LogLine[]): number {
  let added = 0;
  for (const line of batch) {
    if (!(line.seq > log.lastSeq)) continue;
    const i = log.lines.push(line) - 1;
    log.lastSeq = line.seq;
    if (line.step !== null && !log.stepStart.has(line.step)) log.stepStart.set(line.step, i);
    if (isErrorLine(line)) log.errors.push(i);
    added++;
  }
  return added;
}

/** Index of the line with `seq`, or -1 (lines are sorted by seq). */
export function findSeq(lines: readonly LogLine[], seq: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = lines[mid]!.seq;
    if (v === seq) return mid;
    if (v < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Position in `sorted` of the nearest value after (dir 1) or before (dir -1) `from`, wrapping around; -1 if empty. */
export function neighbour(sorted: readonly number[], from: number, dir: 1 | -1): number {
  if (!sorted.length) return -1;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dir === 1 ? sorted[mid]! <= from : sorted[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  if (dir === 1) return lo < sorted.length ? lo : 0;
  return lo > 0 ? lo - 1 : sorted.length - 1;
}

/** Position of `value` in `sorted`, or -1: "match 3 of 40". */
export function positionOf(sorted: readonly number[], value: number): number {
  const p = neighbour(sorted, value - 1, 1);
  return p >= 0 && sorted[p] === value ? p : -1;
}

/** Escapes text so a search box query matches literally. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const SEARCH_SLICE = 20_000;
type SearchJob = { query: string; re: RegExp | null; matches: number[]; scanned: number; timer?: ReturnType<typeof setTimeout> };

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

// Everything the stream changes lives in a frame-batched store (components/ui/frame-store.ts).
function createRunStore(initial: RunSnapshot) {
  return createFrameStore({ snapshot: initial, connection: "connecting" as ConnectionState, log: createLogIndex() });
}

const MAX_RETRY_MS = 30_000;

/**
 * Follows a run over SSE. `log` is mutated in place; read it together with `version`, which changes whenever it does.
 * Mount one per run (give the caller `key={runId}`); the stream closes on `end` and on unmount.
 */
export function useRunEvents(runId: string, initial: RunSnapshot) {
  // Deliberately keyed on runId only: a router.refresh() hands us a new `initial`, which must not wipe the lines.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const store = useMemo(() => createRunStore(initial), [runId]);
  const version = useSyncExternalStore(store.subscribe, store.getVersion, store.getVersion);

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let ended = false;
    const set = (connection: ConnectionState) => {
      store.connection = connection;
      store.changed();
    };
    const connect = () => {
      // EventSource resumes with Last-Event-ID by itself; only a connection it gave up on (an HTTP error, e.g. a 502
      // while the web process restarts) is re-opened here, passing the last seq we hold so the server can skip ahead.
      const after = store.log.lines.length ? `?after=${store.log.lastSeq}` : "";
      const es = (source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events${after}`));
      es.onopen = () => {
        attempt = 0;
        set("live");
      };
      es.addEventListener("run", (e) => {
        store.snapshot = JSON.parse((e as MessageEvent<string>).data) as RunSnapshot;
        store.changed();
      });
      es.addEventListener("lines", (e) => {
        if (appendLines(store.log, JSON.parse((e as MessageEvent<string>).data) as LogLine[])) store.changed();
      });
      es.addEventListener("end", (e) => {
        ended = true;
        es.close();
        const { status } = JSON.parse((e as MessageEvent<string>).data) as { status: RunStatus };
        store.snapshot = { ...store.snapshot, status };
        set("ended");
      });
      es.onerror = () => {
        if (ended) return;
        if (es.readyState === EventSource.CLOSED) {
          retry = setTimeout(connect, Math.min(MAX_RETRY_MS, 1000 * 2 ** attempt++));
        }
        set("reconnecting");
      };
    };
    connect();
    return () => {
      ended = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [runId, store]);

  return { snapshot: store.snapshot, connection: store.connection, log: store.log, version };
}
