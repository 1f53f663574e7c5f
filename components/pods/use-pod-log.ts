"use client";

import { useEffect, useMemo, useSyncExternalStore } from "react";
import { appendLines, createLogIndex, type LogLine } from "@/components/runs/log-index";
import { createFrameStore } from "@/components/ui/frame-store";

// Reads a pod log from the portal's streamed text response into the run log viewer's index. The fetch is aborted
// when the component unmounts or the URL changes, which ends the kubelet stream on the server.

/** Where the read is: streaming (follow), done, or failed with the portal's message. */
export type PodLogState = { phase: "loading" | "streaming" | "done" | "error"; error: string | null };

// RFC3339Nano and a space, as the kubelet prefixes lines with timestamps=true.
const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

/** One text line as the viewer's LogLine: `seq` numbers lines from 1, `t` is the kubelet's timestamp. */
export function toLogLine(text: string, seq: number): LogLine {
  const m = STAMP.exec(text);
  return { seq, step: null, t: m ? m[1]! : "", s: "stdout", x: m ? text.slice(m[0].length) : text };
}

// One render per animation frame, however many chunks arrive (components/ui/frame-store.ts).
function createStore() {
  return createFrameStore({ log: createLogIndex(), state: { phase: "loading", error: null } as PodLogState });
}

/** Streams `url` (a pod log route) into a log index; give the caller `key={url}` so a new URL starts empty. */
export function usePodLog(url: string) {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const store = useMemo(() => createStore(), [url]);
  const version = useSyncExternalStore(store.subscribe, store.getVersion, store.getVersion);
  useEffect(() => {
    const ctl = new AbortController();
    let seq = 0;
    let rest = "";
    const set = (state: PodLogState) => {
      store.state = state;
      store.changed();
    };
    const push = (text: string) => {
      const parts = (rest + text).split("\n");
      rest = parts.pop() ?? "";
      if (
        parts.length &&
        appendLines(
          store.log,
          parts.map((p) => toLogLine(p, ++seq)),
        )
      )
        store.changed();
    };
    void (async () => {
      try {
        const res = await fetch(url, { signal: ctl.signal, cache: "no-store" });
        if (!res.ok) {
          const body = (await res.json().catch(() => ({}))) as { error?: string };
          return set({ phase: "error", error: body.error ?? `The portal answered ${res.status}.` });
        }
        set({ phase: "streaming", error: null });
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          push(value);
        }
        if (rest) push("\n");
        set({ phase: "done", error: null });
      } catch (err) {
        if (!ctl.signal.aborted) set({ phase: "error", error: `The log stream broke off: ${(err as Error).message}` });
      }
    })();
    return () => ctl.abort();
  }, [url, store]);
  return { log: store.log, state: store.state, version };
}
