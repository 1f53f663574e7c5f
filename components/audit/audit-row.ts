// What an audit row points at and how often it repeated, read from its stored fields.

const RUN_ID = /^[a-z0-9]{20,32}$/;

/** The run an event is about: its target for run.cancel / run.force-kill, or detail.runId (run.start). */
export function auditRunId(e: { action: string; target: string | null; detail: unknown }): string | null {
  const fromDetail = (e.detail as { runId?: unknown } | null)?.runId;
  if (typeof fromDetail === "string" && RUN_ID.test(fromDetail)) return fromDetail;
  if (e.action.startsWith("run.") && e.target && RUN_ID.test(e.target)) return e.target;
  return null;
}

/** A refusal counted N times from one source (server/audit/record-audit.ts), or null for a single event. */
export function repeatOf(detail: unknown): { count: number; lastAt: string } | null {
  const d = detail as { count?: unknown; lastAt?: unknown } | null;
  return d && typeof d.count === "number" && d.count > 1 && typeof d.lastAt === "string"
    ? { count: d.count, lastAt: d.lastAt }
    : null;
}
