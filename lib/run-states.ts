// The run and step states, in one place. Client-safe (no "server-only", no React): the run page, the
// filters and the server all import these. They mirror the RunStatus and StepStatus enums of
// prisma/schema.prisma; lib/run-states.test.ts fails if the two drift apart.

/** Run states, in the order of the state machine. */
export const RUN_STATUSES = ["queued", "running", "cancelling", "succeeded", "failed", "cancelled", "interrupted"] as const;
/** One run state. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** States of a run that holds its cluster: at most one such run per cluster. */
export const ACTIVE_STATUSES = ["queued", "running", "cancelling"] as const satisfies readonly RunStatus[];
/** Terminal run states: the stream ends and nothing changes afterwards. */
export const TERMINAL_STATUSES = ["succeeded", "failed", "cancelled", "interrupted"] as const satisfies readonly RunStatus[];
/** A terminal run state. */
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

const ACTIVE = new Set<string>(ACTIVE_STATUSES);
const TERMINAL = new Set<string>(TERMINAL_STATUSES);

/** True for a run that still holds its cluster (queued, running or cancelling). */
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
export const DONE_STEP_STATUSES = ["succeeded", "failed", "skipped", "cancelled"] as const satisfies readonly StepStatus[];

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
};
