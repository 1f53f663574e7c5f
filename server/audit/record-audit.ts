import "server-only";
import { db } from "@/server/db";
import type { PrismaClient } from "@/server/generated/prisma/client";

// Every change of state and every refusal is written here: who, what, on what, with which outcome.
// Refusals repeat: an expired tab polling health is refused 60 times a second. The same refusal (same
// actor, action, target and detail) within REPEAT_WINDOW of the previous one is counted on that row
// (detail.count, detail.lastAt) instead of adding a row, so the log stays readable and nothing is lost.

export type AuditOutcome = "success" | "refused" | "error";

export type AuditInput = {
  actor: string;
  action: string;
  target?: string | null;
  outcome: AuditOutcome;
  detail?: Record<string, unknown>;
};

/** Seconds after the last repeat of a refusal within which another one joins its row. */
export const REPEAT_WINDOW_S = 60;

/** Writes one audit event (a repeated refusal bumps its row's count); failures to audit are logged, never swallowed silently. */
export async function recordAudit(e: AuditInput, prisma: PrismaClient = db()): Promise<void> {
  try {
    const data = { actor: e.actor, action: e.action, target: e.target ?? null, outcome: e.outcome, detail: (e.detail ?? undefined) as never };
    if (e.outcome !== "refused") {
      await prisma.auditEvent.create({ data });
      return;
    }
    // A flood arrives concurrently: a lock per source makes "count it, or else open its row" one step.
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`audit:${e.actor}:${e.action}:${e.target ?? ""}`}))`;
      if (!(await countRepeat(tx as unknown as PrismaClient, e))) await tx.auditEvent.create({ data });
    });
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "audit write failed", action: e.action, error: String(err) }));
    throw err;
  }
}

/** Adds one to the latest identical refusal of the last minute; false when there is none. */
async function countRepeat(prisma: PrismaClient, e: AuditInput): Promise<boolean> {
  const detail = JSON.stringify(e.detail ?? {});
  const n = await prisma.$executeRaw`
    UPDATE "AuditEvent" SET detail = COALESCE(detail, '{}'::jsonb)
      || jsonb_build_object('count', COALESCE((detail->>'count')::int, 1) + 1, 'lastAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    WHERE id = (
      SELECT id FROM "AuditEvent"
      WHERE actor = ${e.actor} AND action = ${e.action} AND target IS NOT DISTINCT FROM ${e.target ?? null} AND outcome = 'refused'
        AND time > now() - interval '1 day'
        AND COALESCE((detail->>'lastAt')::timestamptz, time) > now() - make_interval(secs => ${REPEAT_WINDOW_S})
        AND (COALESCE(detail, '{}'::jsonb) - 'count' - 'lastAt') = ${detail}::jsonb
      ORDER BY id DESC LIMIT 1
    )`;
  return n > 0;
}

/** A connection inside the caller's transaction (a pg client, or a Prisma transaction wrapped by the run store). */
export type AuditSql = { exec(text: string, params: unknown[]): Promise<unknown> };

/**
 * Writes one success audit row inside the caller's transaction, so a state change and its audit row commit
 * together or not at all (server/runs/run-store.ts). Refusals go through recordAudit, which counts repeats.
 */
export async function recordAuditIn(sql: AuditSql, e: AuditInput & { outcome: "success" | "error" }): Promise<void> {
  await sql.exec(`INSERT INTO "AuditEvent" (actor, action, target, outcome, detail) VALUES ($1, $2, $3, $4, $5::jsonb)`, [
    e.actor,
    e.action,
    e.target ?? null,
    e.outcome,
    e.detail === undefined ? null : JSON.stringify(e.detail),
  ]);
}
