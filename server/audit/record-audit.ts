import "server-only";
import { db } from "@/server/db";

// Every change of state and every refusal is written here: who, what, on what, with which outcome.

export type AuditOutcome = "success" | "refused" | "error";

export type AuditInput = {
  actor: string;
  action: string;
  target?: string | null;
  outcome: AuditOutcome;
  detail?: Record<string, unknown>;
};

/** Writes one audit event; failures to audit are logged, never swallowed silently. */
export async function recordAudit(e: AuditInput): Promise<void> {
  try {
    await db().auditEvent.create({
      data: { actor: e.actor, action: e.action, target: e.target ?? null, outcome: e.outcome, detail: (e.detail ?? undefined) as never },
    });
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "audit write failed", action: e.action, error: String(err) }));
    throw err;
  }
}
