"use client";

import { useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import type { RunSnapshot, RunStatus } from "@/lib/run-states";
import { createFrameStore } from "@/components/ui/frame-store";
import { appendLines, createLogIndex, type LogLine } from "@/components/runs/log-index";

export type { RunSnapshot, RunStatus, RunStep } from "@/lib/run-states";
export type { LogLine } from "@/components/runs/log-index";
/** Where the stream is: EventSource retries on its own while "reconnecting". */
export type ConnectionState = "connecting" | "live" | "reconnecting" | "ended";

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
