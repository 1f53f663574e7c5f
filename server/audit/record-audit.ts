import "server-only";
import type pg from "pg";
import { db } from "@/server/db";
import type { Prisma, PrismaClient } from "@/server/generated/prisma/client";

// Every audit row is written here, and only here: who, what, on what, with which outcome.
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

/**
 * Where the row is written. A transaction (a Prisma `tx`, or a pg client after BEGIN) makes the row part
 * of it: it commits, or rolls back, with the change it records. Default: the process's client, on its own.
 */
export type AuditTx = PrismaClient | Prisma.TransactionClient | pg.Pool | pg.PoolClient | pg.Client;

/** Seconds after the last repeat of a refusal within which another one joins its row. */
export const REPEAT_WINDOW_S = 60;

const INSERT = `INSERT INTO "AuditEvent" (actor, action, target, outcome, detail) VALUES ($1, $2, $3, $4, $5::jsonb)`;
// A flood arrives concurrently: a lock per source makes "count it, or else open its row" one step.
const LOCK = `SELECT pg_advisory_xact_lock(hashtext($1))`;
/** Adds one to the latest identical refusal of the window; no row updated when there is none. */
const COUNT_REPEAT = `
  UPDATE "AuditEvent" SET detail = COALESCE(detail, '{}'::jsonb)
    || jsonb_build_object('count', COALESCE((detail->>'count')::int, 1) + 1, 'lastAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
  WHERE id = (
    SELECT id FROM "AuditEvent"
    WHERE actor = $1 AND action = $2 AND target IS NOT DISTINCT FROM $3 AND outcome = 'refused'
      AND time > now() - interval '1 day'
      AND COALESCE((detail->>'lastAt')::timestamptz, time) > now() - make_interval(secs => $4)
      AND (COALESCE(detail, '{}'::jsonb) - 'count' - 'lastAt') = $5::jsonb
    ORDER BY id DESC LIMIT 1
  )`;

/** The statements, run through one connection or transaction. */
type Exec = (sql: string, params: unknown[]) => Promise<number>;

async function write(e: AuditInput, exec: Exec): Promise<void> {
  const detail = e.detail === undefined ? null : JSON.stringify(e.detail);
  if (e.outcome === "refused") {
    await exec(LOCK, [`audit:${e.actor}:${e.action}:${e.target ?? ""}`]);
    if (
      (await exec(COUNT_REPEAT, [
        e.actor,
        e.action,
        e.target ?? null,
        REPEAT_WINDOW_S,
        JSON.stringify(e.detail ?? {}),
      ])) > 0
    )
      return;
  }
  await exec(INSERT, [e.actor, e.action, e.target ?? null, e.outcome, detail]);
}

const isPg = (tx: AuditTx): tx is pg.Pool | pg.PoolClient | pg.Client => !("$executeRawUnsafe" in tx);
const isPgPool = (tx: pg.Pool | pg.PoolClient | pg.Client): tx is pg.Pool => "totalCount" in tx;
const isPrismaClient = (tx: PrismaClient | Prisma.TransactionClient): tx is PrismaClient => "$transaction" in tx;

/**
 * Writes one audit event (a repeated refusal bumps its row's count), in `tx` when given. Failures to audit
 * are logged and thrown, never swallowed silently.
 */
export async function recordAudit(e: AuditInput, tx: AuditTx = db()): Promise<void> {
  try {
    if (isPg(tx)) {
      if (e.outcome === "refused" && isPgPool(tx)) {
        // The lock lasts for a transaction: a pool gives us a connection of our own for one.
        const client = await tx.connect();
        try {
          await client.query("BEGIN");
          await write(e, async (sql, params) => (await client.query(sql, params)).rowCount ?? 0);
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      } else {
        await write(e, async (sql, params) => (await tx.query(sql, params)).rowCount ?? 0);
      }
      return;
    }
    const run = (p: Prisma.TransactionClient) => write(e, (sql, params) => p.$executeRawUnsafe(sql, ...params));
    if (e.outcome === "refused" && isPrismaClient(tx)) await tx.$transaction(run);
    else await run(tx);
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "audit write failed", action: e.action, error: String(err) }));
    throw err;
  }
}

/** A connection inside the caller's transaction (a pg client, or a Prisma transaction wrapped by the run store). */
export type AuditSql = { exec(text: string, params: unknown[]): Promise<unknown> };

/**
 * Writes one success audit row inside the caller's transaction, so a state change and its audit row commit
 * together or not at all (server/runs/run-store.ts). Refusals go through recordAudit, which counts repeats.
 */
export async function recordAuditIn(sql: AuditSql, e: AuditInput & { outcome: "success" | "error" }): Promise<void> {
  await sql.exec(INSERT, [
    e.actor,
    e.action,
    e.target ?? null,
    e.outcome,
    e.detail === undefined ? null : JSON.stringify(e.detail),
  ]);
}
