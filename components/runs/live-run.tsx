"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import type { StepMedians } from "@/lib/eta";
import { LogViewer, type LogViewerHandle } from "@/components/runs/log-viewer";
import { RunControls } from "@/components/runs/run-controls";
import { ApprovalPanel } from "@/components/runs/approval-panel";
import { LiveDuration, StepList } from "@/components/runs/step-list";
import { lastKnownTime, StepGantt } from "@/components/runs/step-gantt";
import { useNow } from "@/components/ui/use-now";
import { useRunEvents, type ConnectionState, type RunSnapshot } from "@/components/runs/use-run-events";
import { isTerminalStatus } from "@/lib/run-states";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { StatusBadge } from "@/components/ui/status-badge";

export type { LogLine, RunSnapshot } from "@/components/runs/use-run-events";

/** `medians`: per-step medians of earlier successful runs of the same pipeline and cluster, for the ETA. */
/** `actor`: the signed-in person as runs record them (requestedBy), so the requester is told who must approve. */
type Props = {
  runId: string;
  initial: RunSnapshot;
  role: "viewer" | "operator" | "admin";
  actor?: string;
  medians?: StepMedians;
};

const CONNECTION: Record<ConnectionState, { label: string; dot: string }> = {
  connecting: { label: "Connecting…", dot: "bg-slate-400" },
  live: { label: "Live", dot: "bg-emerald-500 animate-pulse" },
  reconnecting: { label: "Reconnecting…", dot: "bg-amber-500" },
  ended: { label: "Finished", dot: "bg-slate-400" },
};

/** The live part of a run page: status, steps, controls and log, all fed by one SSE stream. */
export function LiveRun(props: Props) {
  // A new run id means a new stream and an empty log: remounting is the simplest way to guarantee both.
  return <LiveRunBody key={props.runId} {...props} />;
}

function LiveRunBody({ runId, initial, role, actor = "", medians }: Props) {
  const router = useRouter();
  const viewer = useRef<LogViewerHandle>(null);
  const { snapshot, connection, log, version } = useRunEvents(runId, initial);
  const refreshed = useRef(isTerminalStatus(initial.status));

  // The server parts of the page (history, audit, banner) were rendered while the run was active: refresh them once.
  useEffect(() => {
    if (connection !== "ended" || refreshed.current) return;
    refreshed.current = true;
    router.refresh();
  }, [connection, router]);

  const live = CONNECTION[connection];
  // 0 while hydrating: the timeline then ends at the last moment the run itself recorded, on server and client alike.
  const now = useNow();
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        {/* The page heading (pipeline on cluster) is the server page's; this line is what changes live. */}
        <span className="text-sm font-medium text-slate-600 dark:text-slate-400">Status</span>
        <span data-testid="run-status" aria-live="polite">
          <StatusBadge status={snapshot.status} />
        </span>
        <span className="text-sm text-slate-600 dark:text-slate-400">
          {snapshot.startedAt ? (snapshot.finishedAt ? "took " : "running for ") : null}
          <LiveDuration from={snapshot.startedAt} to={snapshot.finishedAt} className="tabular-nums" />
        </span>
        <span className="ml-auto flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-400" role="status">
          <span aria-hidden className={cn("h-2 w-2 rounded-full", live.dot)} />
          {live.label}
        </span>
      </div>
      {snapshot.error ? (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-300"
        >
          {snapshot.error}
        </p>
      ) : null}
      {/* minmax(0, …): the log's long lines scroll inside it and never widen the page (a phone showed 480 px at 390). */}
      <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-[20rem_minmax(0,1fr)]">
        <div className="flex flex-col gap-4">
          <Card title="Steps">
            <StepList
              steps={snapshot.steps}
              onSelect={(i) => viewer.current?.jumpToStep(i)}
              medians={medians}
              live={!isTerminalStatus(snapshot.status)}
            />
          </Card>
          {snapshot.approval ? (
            <ApprovalPanel
              runId={runId}
              status={snapshot.status}
              approval={snapshot.approval}
              requestedBy={snapshot.requestedBy}
              actor={actor}
              role={role}
            />
          ) : null}
          <RunControls
            runId={runId}
            status={snapshot.status}
            role={role}
            pipeline={snapshot.pipeline}
            cluster={snapshot.cluster}
            steps={snapshot.steps}
          />
        </div>
        <LogViewer
          ref={viewer}
          runId={runId}
          log={log}
          version={version}
          steps={snapshot.steps}
          emptyText={
            connection === "ended"
              ? "This run recorded no output."
              : snapshot.status === "queued"
                ? "Waiting for a worker to pick up the run…"
                : snapshot.status === "awaiting_approval"
                  ? "Waiting for approval…"
                  : "Waiting for output…"
          }
        />
      </div>
      {snapshot.startedAt ? (
        <Card title="Timeline">
          <StepGantt
            startedAt={snapshot.startedAt}
            finishedAt={snapshot.finishedAt}
            steps={snapshot.steps}
            now={now || lastKnownTime(snapshot.startedAt, snapshot.steps)}
          />
        </Card>
      ) : null}
    </div>
  );
}
