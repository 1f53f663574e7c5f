"use client";

import { useState } from "react";
import { LogViewer } from "@/components/runs/log-viewer";
import { Card } from "@/components/ui/card";
import { usePodLog } from "@/components/pods/use-pod-log";

// The pod's logs: pick a container, the current or previous instance (--previous), how many of the newest lines
// (--tail), and whether to follow (-f). Search, error lines, permalinks and download are the run log viewer's.

/** A container the log can be read from. */
export type LogContainer = { name: string; kind: "init" | "sidecar" | "app" };

const TAILS = [
  ["100", "last 100 lines"],
  ["1000", "last 1,000 lines"],
  ["10000", "last 10,000 lines"],
  ["", "whole log"],
] as const;

/** `initial` comes from the URL (?log=previous&container=x), e.g. a problem's link to the crash output. */
export function PodLogs({
  cluster,
  namespace,
  pod,
  containers,
  initial,
}: {
  cluster: string;
  namespace: string;
  pod: string;
  containers: LogContainer[];
  initial: { container: string; previous: boolean };
}) {
  const [container, setContainer] = useState(initial.container);
  const [previous, setPrevious] = useState(initial.previous);
  const [follow, setFollow] = useState(!initial.previous);
  const [tail, setTail] = useState("1000");
  const base = `/api/clusters/${encodeURIComponent(cluster)}/pods/${encodeURIComponent(namespace)}/${encodeURIComponent(pod)}/log`;
  const q = new URLSearchParams({
    container,
    ...(previous ? { previous: "true" } : {}),
    ...(tail ? { tailLines: tail } : {}),
  });
  const url = `${base}?${q}${follow && !previous ? "&follow=true" : ""}`;
  const download = `${base}?${q}&timestamps=false&download=true`;
  const select =
    "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950";
  return (
    <div id="logs" className="scroll-mt-20" data-testid="pod-logs">
      <Card title="Logs">
        <div className="mb-2 flex flex-wrap items-center gap-3 text-sm" role="group" aria-label="Log options">
          <select
            aria-label="Container"
            className={select}
            value={container}
            onChange={(e) => setContainer(e.target.value)}
          >
            {containers.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
                {c.kind === "app" ? "" : ` (${c.kind})`}
              </option>
            ))}
          </select>
          <label className="flex items-center gap-1">
            <input type="checkbox" checked={previous} onChange={(e) => setPrevious(e.target.checked)} />
            Previous instance (the one that last terminated)
          </label>
          <select aria-label="Lines" className={select} value={tail} onChange={(e) => setTail(e.target.value)}>
            {TAILS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
          <label className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={follow && !previous}
              disabled={previous}
              onChange={(e) => setFollow(e.target.checked)}
            />
            Follow
          </label>
        </div>
        <PodLogView key={url} url={url} download={download} previous={previous} following={follow && !previous} />
      </Card>
    </div>
  );
}

function PodLogView({
  url,
  download,
  previous,
  following,
}: {
  url: string;
  download: string;
  previous: boolean;
  following: boolean;
}) {
  const { log, state, version } = usePodLog(url);
  const status =
    state.phase === "error"
      ? null
      : state.phase === "loading"
        ? "Reading…"
        : state.phase === "streaming"
          ? following
            ? "Following live"
            : "Reading…"
          : following
            ? "The stream ended (the container stopped, or after 30 minutes): untick and tick Follow to resume."
            : `${log.lines.length} lines`;
  return (
    <div className="flex flex-col gap-2">
      {state.error ? (
        <p
          role="alert"
          data-testid="log-error"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        >
          {state.error}
        </p>
      ) : null}
      {status ? (
        <p role="status" data-testid="log-status" className="text-xs text-slate-600 dark:text-slate-400">
          {status}
        </p>
      ) : null}
      <LogViewer
        log={log}
        version={version}
        download={{ href: download, label: previous ? "Download previous log" : "Download log" }}
        label="Pod log output"
        emptyText={state.phase === "loading" || state.phase === "streaming" ? "Waiting for output…" : "No output."}
      />
    </div>
  );
}
