import "server-only";
import type { NotifyEvent } from "@/server/config/clusters";
import { isTerminalStatus } from "@/lib/run-states";

// The facts an outbox event carries, as stored in NotificationEvent.data; messages are built from them.

export type RunEventData = {
  kind: "run";
  cluster: string;
  runId: string;
  pipeline: string;
  status: string;
  requestedBy: string;
  reason: string;
  node: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationSeconds: number | null;
  error: string | null;
  cancelledBy: string | null;
  /** A guarded run's plan and the decision on it (absent for runs without approval). */
  approval?: {
    add: number;
    change: number;
    destroy: number;
    replace: number;
    expiresAt: string;
    decidedBy: string | null;
    comment: string | null;
  } | null;
};

export type TierEventData = {
  kind: "tier";
  cluster: string;
  tier: string;
  title: string;
  status: string;
  previous: string;
  since: string;
  reasons: string[];
};

export type EventData = RunEventData | TierEventData;

/** The run event a run's current status is, if any (queued, running, awaiting approval and cancelling are not endings). */
export function endEvent(status: string): NotifyEvent | null {
  return isTerminalStatus(status) ? `run.${status}` : null;
}
