// The run and step states, in one place. Client-safe (no "server-only", no React): the run page, the
// filters and the server all import these. They mirror the RunStatus and StepStatus enums of
// prisma/schema.prisma; lib/run-states.test.ts fails if the two drift apart.

import type { PlanSummary } from "@/server/plans/plan-summary";
import type { RoleName } from "@/server/auth/roles";

/** Run states, in the order of the state machine. */
export const RUN_STATUSES = [
  "queued",
  "running",
  "awaiting_approval",
  "cancelling",
  "succeeded",
  "failed",
  "cancelled",
  "interrupted",
  "rejected",
  "expired",
] as const;
/** One run state. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * States of a run that holds its cluster: at most one such run per cluster (the partial unique index
 * Run_one_active_per_cluster lists exactly these). A run awaiting approval holds it too: its saved plan
 * must still match the state when it is applied.
 */
export const ACTIVE_STATUSES = [
  "queued",
  "running",
  "awaiting_approval",
  "cancelling",
] as const satisfies readonly RunStatus[];
/** Terminal run states: the stream ends and nothing changes afterwards. */
export const TERMINAL_STATUSES = [
  "succeeded",
  "failed",
  "cancelled",
  "interrupted",
  "rejected",
  "expired",
] as const satisfies readonly RunStatus[];

/** How each run state reads on badges, filters and in the CLI. */
export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  queued: "queued",
  running: "running",
  awaiting_approval: "awaiting approval",
  cancelling: "cancelling",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
  interrupted: "interrupted",
  rejected: "rejected",
  expired: "expired",
};
/** A terminal run state. */
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

const ACTIVE = new Set<string>(ACTIVE_STATUSES);
const TERMINAL = new Set<string>(TERMINAL_STATUSES);

/** True for a run that still holds its cluster (queued, running, awaiting approval or cancelling). */
export function isActiveStatus(status: string): status is (typeof ACTIVE_STATUSES)[number] {
  return ACTIVE.has(status);
}

/** True for a run that has ended and will never change again. */
export function isTerminalStatus(status: string): status is TerminalStatus {
  return TERMINAL.has(status);
}

/** True for a value on the run-state list (input from a URL or a form). */
export function isRunStatus(v: unknown): v is RunStatus {
  return typeof v === "string" && (RUN_STATUSES as readonly string[]).includes(v);
}

/** Step states, in the order a step moves through them. */
export const STEP_STATUSES = ["pending", "running", "succeeded", "failed", "skipped", "cancelled"] as const;
/** One step state. */
export type StepStatus = (typeof STEP_STATUSES)[number];
/** Step states after which a step no longer changes. */
export const DONE_STEP_STATUSES = [
  "succeeded",
  "failed",
  "skipped",
  "cancelled",
] as const satisfies readonly StepStatus[];

/** One step of a run, as the run page and the live stream show it. */
export type RunStep = {
  index: number;
  key: string;
  title: string;
  status: StepStatus;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  truncated: boolean;
};

/** A guarded run's plan and the decision on it, as the run page shows them. */
export type RunApproval = {
  summary: PlanSummary;
  plannedAt: string;
  expiresAt: string;
  approverRole: RoleName;
  decision: "approved" | "rejected" | "expired" | null;
  decidedBy: string | null;
  comment: string | null;
  decidedAt: string | null;
};

/** A run as the run page and the live stream (`event: run`) show it; built by server/runs/get-run.ts. */
export type RunSnapshot = {
  id: string;
  status: RunStatus;
  pipeline: string;
  cluster: string;
  requestedBy: string;
  reason: string;
  gitCommit: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  cancelledBy: string | null;
  steps: RunStep[];
  /** Only for a guarded run whose plan step has finished. */
  approval?: RunApproval | null;
};
