import "server-only";
import type pg from "pg";
import type { PrismaClient } from "@/server/generated/prisma/client";
import type { ClusterConfig } from "@/server/config/clusters";
import type { RoleName } from "@/server/auth/roles";
import { hasRole } from "@/server/auth/roles";
import {
  ACTIVE_STATUSES,
  RUN_STATUS_LABELS,
  type RunStatus,
  type StepStatus,
  type TerminalStatus,
} from "@/lib/run-states";
import type { ApprovalPolicy } from "@/server/config/clusters";
import type { PlanSummary } from "@/server/plans/plan-summary";
import { cancelRequirement, type CancelRequirement } from "@/lib/cancel-rule";
import { recordAuditIn } from "@/server/audit/record-audit";
import { ConflictError, ForbiddenError, NotFoundError } from "@/server/errors";
import { RUN_CANCEL, RUN_QUEUED, RUN_STATE } from "@/server/runs/channels";
import { isPipeline, pipeline } from "@/server/runs/pipelines";

export { cancelRequirement, type CancelRequirement } from "@/lib/cancel-rule";

// The run lifecycle, in one place. Every change of a run's (or a step's) state is one function below,
// and each is ONE transaction: the state change, its audit row (run-level changes) and its NOTIFY, which
// PostgreSQL delivers at commit. The worker keeps processes, timers and signals; the web and the CLI ask
// for changes; nobody else writes Run.status or RunStep.status.
//
// Invariants (tested in server/runs/run-store.test.ts):
// 1. One active run per cluster. The partial unique index Run_one_active_per_cluster covers ACTIVE_STATUSES
//    (lib/run-states.ts); queueRun turns its violation into a ConflictError naming the holder.
// 2. Terminal states never change. Every UPDATE below names the states it moves a run FROM, none of them
//    terminal; on a terminal run a worker's call changes nothing (returns false) and a person's request is
//    refused with a ConflictError.
// 3. Only the owning worker ("workerId") moves a claimed run: starting and finishing steps, ending it,
//    handing it over for approval. The named exceptions act on runs no worker holds: cancelling a queued
//    or awaiting-approval run, approving, rejecting and expiring; and interruptStale, which acts because
//    the owner stopped heartbeating. A run awaiting approval has no owner and is never swept as stale.
// 4. A cancel once a rebuild or teardown has started destroying needs an admin (lib/cancel-rule.ts),
//    whoever asks: the rule is checked here, not in the callers.
// 5. A plan is decided by a second person: not the requester, holding the approver role read from the
//    database at the moment of deciding, before the plan's expiry. Approval makes the run claimable again.

/** A connection in a transaction: rows of a query, or the count a statement changed. */
export type Sql = {
  rows<R>(text: string, params?: unknown[]): Promise<R[]>;
  exec(text: string, params?: unknown[]): Promise<number>;
};
/** The worker's pg pool or the process's Prisma client: the store works on either. */
export type StoreDb = pg.Pool | PrismaClient;

// A burst of starts (20 at once for one cluster) queues for the pool's connections: wait for one rather than
// failing after Prisma's default 2 s; the transactions themselves are short.
const TX_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

type PrismaTx = Pick<PrismaClient, "$queryRawUnsafe" | "$executeRawUnsafe">;
const prismaSql = (tx: PrismaTx): Sql => ({
  rows: <R>(text: string, params: unknown[] = []) => tx.$queryRawUnsafe<R[]>(text, ...params),
  exec: (text: string, params: unknown[] = []) => tx.$executeRawUnsafe(text, ...params),
});

function isPrisma(db: StoreDb): db is PrismaClient {
  return typeof (db as PrismaClient).$transaction === "function";
}

/** Runs `fn` in one transaction on either kind of connection. */
export async function inStoreTransaction<T>(db: StoreDb, fn: (sql: Sql) => Promise<T>): Promise<T> {
  if (isPrisma(db)) {
    return db.$transaction((tx) => fn(prismaSql(tx)), TX_OPTIONS);
  }
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const out = await fn({
      rows: async <R>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as R[],
      exec: async (text: string, params: unknown[] = []) => (await client.query(text, params)).rowCount ?? 0,
    });
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

// State names reach SQL only from the typed lists: a misspelt state does not compile.
const run = (s: RunStatus) => `'${s}'::"RunStatus"`;
const step = (s: StepStatus) => `'${s}'::"StepStatus"`;
const runIn = (list: readonly RunStatus[]) => list.map(run).join(", ");
/** A worker executes these: the only states its own calls move a run from. */
const WORKING: readonly RunStatus[] = ["running", "cancelling"];

const notify = (sql: Sql, channel: string, payload: string) =>
  sql.rows(`SELECT 1 AS ok FROM pg_notify($1, $2)`, [channel, payload]);
const workerActor = (workerId: string) => `worker:${workerId}`;

// ---------------------------------------------------------------------------------------------- queue

export type QueueInput = {
  cluster: { id: string; name: string };
  pipeline: string;
  params: Record<string, unknown>;
  requestedBy: string;
  reason: string;
  gitCommit: string | null;
  steps: { key: string; title: string }[];
};

function isActiveRunConflict(err: unknown): boolean {
  const text = `${(err as { code?: string }).code ?? ""} ${(err as Error).message ?? ""} ${JSON.stringify((err as { meta?: unknown }).meta ?? {})}`;
  return /P2002|23505|Run_one_active_per_cluster|unique constraint/i.test(text);
}

/** queued: creates the run and its pending steps and wakes the workers; refuses while another run holds the cluster. */
export async function queueRun(prisma: PrismaClient, input: QueueInput): Promise<{ runId: string }> {
  try {
    const created = await prisma.$transaction(async (tx) => {
      const r = await tx.run.create({
        data: {
          clusterId: input.cluster.id,
          pipeline: input.pipeline,
          params: input.params as never,
          requestedBy: input.requestedBy,
          reason: input.reason,
          gitCommit: input.gitCommit,
          steps: { create: input.steps.map((s, index) => ({ index, key: s.key, title: s.title })) },
        },
      });
      const sql = prismaSql(tx);
      await recordAuditIn(sql, {
        actor: input.requestedBy,
        action: "run.queued",
        target: r.id,
        outcome: "success",
        detail: { pipeline: input.pipeline, cluster: input.cluster.name },
      });
      await notify(sql, RUN_QUEUED, r.id);
      return r;
    }, TX_OPTIONS);
    return { runId: created.id };
  } catch (err) {
    if (!isActiveRunConflict(err)) throw err;
    const active = await prisma.run.findFirst({
      where: { clusterId: input.cluster.id, status: { in: [...ACTIVE_STATUSES] } },
      select: { id: true, pipeline: true, status: true, requestedBy: true },
    });
    const holder = active
      ? `run ${active.id} (${active.pipeline}, ${active.status}, by ${active.requestedBy})`
      : "another run";
    throw new ConflictError(
      `${input.cluster.name} is busy: ${holder} holds it. Wait for it to finish or cancel it.`,
      active ? { runId: active.id } : undefined,
    );
  }
}

// ---------------------------------------------------------------------------------------------- claim

/**
 * A run a worker claimed, with what executing it needs. A run claimed again after its approval has its
 * earlier steps done (`doneSteps`) and carries the approved plan file (`plan`).
 */
export type ClaimedRun = {
  id: string;
  pipeline: string;
  params: unknown;
  requestedBy: string;
  reason: string;
  cluster: ClusterConfig;
  deadlineAt: Date;
  doneSteps: number[];
  plan: Buffer | null;
};

/** queued → running: the oldest queued run (or `onlyRunId`), owned by `workerId`; null when there is none. */
export async function claimRun(
  db: StoreDb,
  workerId: string,
  onlyRunId: string | null = null,
): Promise<ClaimedRun | null> {
  return inStoreTransaction(db, async (sql) => {
    const [row] = await sql.rows<{
      id: string;
      pipeline: string;
      params: unknown;
      requestedBy: string;
      reason: string;
      clusterId: string;
    }>(
      `UPDATE "Run" SET status = ${run("running")}, "startedAt" = coalesce("startedAt", now()), "heartbeatAt" = now(), "workerId" = $1
        WHERE id = (SELECT id FROM "Run" WHERE status = ${run("queued")} AND ($2::text IS NULL OR id = $2) ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id, pipeline, params, "requestedBy", reason, "clusterId"`,
      [workerId, onlyRunId],
    );
    if (!row) return null;
    const minutes = isPipeline(row.pipeline) ? pipeline(row.pipeline).deadlineMinutes : 60;
    const [c] = await sql.rows<{ config: ClusterConfig; deadlineAt: Date }>(
      `WITH d AS (UPDATE "Run" SET "deadlineAt" = now() + make_interval(mins => $2::int) WHERE id = $1 RETURNING "deadlineAt")
       SELECT c.config, d."deadlineAt" FROM "Cluster" c, d WHERE c.id = $3`,
      [row.id, minutes, row.clusterId],
    );
    const done = await sql.rows<{ index: number }>(
      `SELECT index FROM "RunStep" WHERE "runId" = $1 AND status <> ${step("pending")} ORDER BY index`,
      [row.id],
    );
    const [approved] = await sql.rows<{ plan: Buffer }>(
      `SELECT plan FROM "RunPlan" WHERE "runId" = $1 AND decision = 'approved'`,
      [row.id],
    );
    await recordAuditIn(sql, {
      actor: workerActor(workerId),
      action: "run.running",
      target: row.id,
      outcome: "success",
      detail: { pipeline: row.pipeline, ...(approved ? { resumed: "approved" } : {}) },
    });
    await notify(sql, RUN_STATE, row.id);
    return {
      id: row.id,
      pipeline: row.pipeline,
      params: row.params,
      requestedBy: row.requestedBy,
      reason: row.reason,
      cluster: c!.config,
      deadlineAt: new Date(c!.deadlineAt),
      doneSteps: done.map((d) => d.index),
      plan: approved ? Buffer.from(approved.plan) : null,
    };
  });
}

/** The heartbeat of a worker's runs: what each asks of it now (cancel, kill, deadline). Changes no state. */
export async function heartbeatRuns(
  db: pg.Pool,
  workerId: string,
  runIds: string[],
): Promise<{ id: string; status: RunStatus; killRequested: boolean; overdue: boolean }[]> {
  const res = await db.query<{ id: string; status: RunStatus; killRequested: boolean; overdue: boolean }>(
    `UPDATE "Run" SET "heartbeatAt" = now() WHERE id = ANY($1) AND "workerId" = $2 AND status IN (${runIn(WORKING)})
     RETURNING id, status, "killRequested", "deadlineAt" < now() AS overdue`,
    [runIds, workerId],
  );
  return res.rows;
}

// ---------------------------------------------------------------------------------------------- steps

const OWNED = `EXISTS (SELECT 1 FROM "Run" r WHERE r.id = $1 AND r."workerId" = $3 AND r.status IN (${runIn(WORKING)}))`;

/** pending → running for one step of a run this worker owns; false when the run is no longer its own. */
export async function startRunStep(db: StoreDb, runId: string, workerId: string, index: number): Promise<boolean> {
  return inStoreTransaction(db, async (sql) => {
    const n = await sql.exec(
      `UPDATE "RunStep" SET status = ${step("running")}, "startedAt" = now() WHERE "runId" = $1 AND index = $2 AND status = ${step("pending")} AND ${OWNED}`,
      [runId, index, workerId],
    );
    if (n) await notify(sql, RUN_STATE, runId);
    return n > 0;
  });
}

/** Records the process group of the running step, so a sweeper on this host can end it if we die. */
export async function setStepProcess(db: StoreDb, runId: string, index: number, pgid: number): Promise<void> {
  await inStoreTransaction(db, (sql) =>
    sql.exec(`UPDATE "RunStep" SET pgid = $3 WHERE "runId" = $1 AND index = $2`, [runId, index, pgid]),
  );
}

export type StepResult = {
  status: "succeeded" | "failed" | "cancelled";
  exitCode: number | null;
  signal: string | null;
  truncated: boolean;
  logBytes: number;
};

/** running → succeeded | failed | cancelled for one step of a run this worker owns. */
export async function finishRunStep(
  db: StoreDb,
  runId: string,
  workerId: string,
  index: number,
  r: StepResult,
): Promise<boolean> {
  return inStoreTransaction(db, async (sql) => {
    const n = await sql.exec(
      `UPDATE "RunStep" SET status = $4::"StepStatus", "finishedAt" = now(), "exitCode" = $5, signal = $6, truncated = $7, "logBytes" = $8, pgid = NULL
        WHERE "runId" = $1 AND index = $2 AND status = ${step("running")} AND ${OWNED}`,
      [runId, index, workerId, r.status, r.exitCode, r.signal, r.truncated, r.logBytes],
    );
    if (n) await notify(sql, RUN_STATE, runId);
    return n > 0;
  });
}

// ---------------------------------------------------------------------------------------------- end

export type RunOutcome = { status: TerminalStatus; error: string | null };

/** running | cancelling → a terminal state, by the owning worker only; its pending steps are skipped. False when not its own any more. */
export async function finishRun(
  db: StoreDb,
  runId: string,
  workerId: string,
  outcome: RunOutcome,
  pipelineName: string,
): Promise<boolean> {
  return inStoreTransaction(db, async (sql) => {
    const n = await sql.exec(
      `UPDATE "Run" SET status = $2::"RunStatus", "finishedAt" = now(), error = $3 WHERE id = $1 AND "workerId" = $4 AND status IN (${runIn(WORKING)})`,
      [runId, outcome.status, outcome.error, workerId],
    );
    if (!n) return false;
    await sql.exec(
      `UPDATE "RunStep" SET status = ${step("skipped")} WHERE "runId" = $1 AND status = ${step("pending")}`,
      [runId],
    );
    await recordAuditIn(sql, {
      actor: workerActor(workerId),
      action: `run.${outcome.status}`,
      target: runId,
      outcome: "success",
      detail: { pipeline: pipelineName, error: outcome.error },
    });
    await notify(sql, RUN_STATE, runId);
    return true;
  });
}

/** Why a stale run was interrupted, and which step processes it left behind (the sweeper ends those on its host). */
export type Interrupted = { ids: string[]; orphans: { pgid: number; hostname: string | null }[] };

/** running | cancelling → interrupted for runs whose worker stopped heartbeating for `staleMs`; their steps are closed. */
export async function interruptStale(db: StoreDb, staleMs: number): Promise<Interrupted> {
  return inStoreTransaction(db, async (sql) => {
    const stale = await sql.rows<{ id: string; workerId: string | null; heartbeatAt: Date | null }>(
      `UPDATE "Run" SET status = ${run("interrupted")}, "finishedAt" = now(),
         error = 'interrupted: worker ' || coalesce("workerId", '?') || ' stopped heartbeating (last ' || coalesce(to_char("heartbeatAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), 'never') || ' UTC); retry it as a new run'
       WHERE status IN (${runIn(WORKING)}) AND ("heartbeatAt" IS NULL OR "heartbeatAt" < now() - make_interval(secs => $1::float8 / 1000))
       RETURNING id, "workerId", "heartbeatAt"`,
      [staleMs],
    );
    const ids = stale.map((r) => r.id);
    if (!ids.length) return { ids, orphans: [] };
    const running = await sql.rows<{ pgid: number | null; hostname: string | null }>(
      `SELECT s.pgid, w.hostname FROM "RunStep" s JOIN "Run" r ON r.id = s."runId" LEFT JOIN "Worker" w ON w.id = r."workerId"
        WHERE s."runId" = ANY($1::text[]) AND s.status = ${step("running")} AND s.pgid IS NOT NULL`,
      [ids],
    );
    await sql.exec(
      `UPDATE "RunStep" SET status = CASE WHEN status = ${step("running")} THEN ${step("failed")} ELSE ${step("skipped")} END,
         "finishedAt" = CASE WHEN status = ${step("running")} THEN now() ELSE "finishedAt" END,
         signal = CASE WHEN status = ${step("running")} THEN 'worker lost' ELSE signal END, pgid = NULL
       WHERE "runId" = ANY($1::text[]) AND status IN (${step("running")}, ${step("pending")})`,
      [ids],
    );
    for (const r of stale) {
      await recordAuditIn(sql, {
        actor: "system",
        action: "run.interrupted",
        target: r.id,
        outcome: "success",
        detail: { workerId: r.workerId, lastHeartbeat: r.heartbeatAt },
      });
      await notify(sql, RUN_STATE, r.id);
    }
    return { ids, orphans: running.filter((r) => r.pgid).map((r) => ({ pgid: r.pgid!, hostname: r.hostname })) };
  });
}

// ---------------------------------------------------------------------------------------------- cancel

/** The role of a person, read from the database now. The CLI runs with the database's credentials: it counts as admin. */
async function roleOf(sql: Sql, actor: string): Promise<RoleName | null> {
  if (actor.startsWith("cli:")) return "admin";
  return userRole(sql, actor);
}

/** The role of an active portal user (by username, email or id), read from the database now. */
async function userRole(sql: Sql, actor: string): Promise<RoleName | null> {
  const [u] = await sql.rows<{ role: RoleName }>(
    `SELECT role::text AS role FROM "User" WHERE (username = $1 OR email = $1 OR id = $1) AND "deactivatedAt" IS NULL LIMIT 1`,
    [actor],
  );
  return u?.role ?? null;
}

type LockedRun = { id: string; status: RunStatus; pipeline: string; cluster: string };

async function lockRun(
  sql: Sql,
  runId: string,
): Promise<{ run: LockedRun; steps: { key: string; status: StepStatus }[] }> {
  const [r] = await sql.rows<LockedRun>(
    `SELECT r.id, r.status::text AS status, r.pipeline, c.name AS cluster FROM "Run" r JOIN "Cluster" c ON c.id = r."clusterId" WHERE r.id = $1 FOR UPDATE OF r`,
    [runId],
  );
  if (!r) throw new NotFoundError("There is no such run.");
  const steps = await sql.rows<{ key: string; status: StepStatus }>(
    `SELECT key, status::text AS status FROM "RunStep" WHERE "runId" = $1 ORDER BY index`,
    [runId],
  );
  return { run: r, steps };
}

/**
 * Cancel: a queued run ends at once (cancelled); a running one moves to cancelling and its worker interrupts
 * the step. Once a rebuild or teardown has started destroying, only an admin may cancel (lib/cancel-rule.ts).
 */
export async function requestCancel(
  db: StoreDb,
  runId: string,
  by: string,
): Promise<{ status: RunStatus; warning: string | null }> {
  return inStoreTransaction(db, async (sql) => {
    const { run: r, steps } = await lockRun(sql, runId);
    if (r.status === "cancelling") throw new ConflictError("This run is already being cancelled.");
    if (r.status !== "queued" && r.status !== "running" && r.status !== "awaiting_approval")
      throw new ConflictError(`This run has already ended (${r.status}).`);
    const need = cancelRequirement(r, steps);
    if (need.role !== "operator") {
      const role = await roleOf(sql, by);
      if (!role || !hasRole(role, need.role))
        throw new ForbiddenError(need.warning ?? `Not allowed: cancelling this run needs the ${need.role} role.`);
    }
    if (r.status === "queued" || r.status === "awaiting_approval") {
      // No worker holds it: it ends here. (A queued run may be one approved and waiting to be claimed again.)
      const begun = steps.some((st) => st.status !== "pending");
      const why =
        r.status === "awaiting_approval"
          ? "while it awaited approval"
          : begun
            ? "after its approval, before a worker continued it"
            : "before it started";
      await sql.exec(
        `UPDATE "Run" SET status = ${run("cancelled")}, "finishedAt" = now(), "cancelAt" = now(), "cancelledBy" = $2, error = $3 WHERE id = $1`,
        [runId, by, `cancelled by ${by} ${why}`],
      );
      await sql.exec(
        `UPDATE "RunStep" SET status = ${step("skipped")} WHERE "runId" = $1 AND status = ${step("pending")}`,
        [runId],
      );
      await recordAuditIn(sql, {
        actor: by,
        action: "run.cancelled",
        target: runId,
        outcome: "success",
        detail: { pipeline: r.pipeline, before: r.status === "queued" ? "start" : "approval" },
      });
      await notify(sql, RUN_STATE, runId);
      return { status: "cancelled" as const, warning: need.warning };
    }
    await sql.exec(
      `UPDATE "Run" SET status = ${run("cancelling")}, "cancelAt" = now(), "cancelledBy" = $2 WHERE id = $1`,
      [runId, by],
    );
    await recordAuditIn(sql, {
      actor: by,
      action: "run.cancelling",
      target: runId,
      outcome: "success",
      detail: { pipeline: r.pipeline, ...(need.warning ? { warning: need.warning } : {}) },
    });
    await notify(sql, RUN_CANCEL, runId);
    await notify(sql, RUN_STATE, runId);
    return { status: "cancelling" as const, warning: need.warning };
  });
}

/** Force-kill: only for a run already cancelling; its worker sends SIGKILL to the step's process group at once. */
export async function requestForceKill(db: StoreDb, runId: string, by: string): Promise<void> {
  await inStoreTransaction(db, async (sql) => {
    const { run: r } = await lockRun(sql, runId);
    if (r.status === "running")
      throw new ConflictError("Cancel the run first; force-kill is only for a cancel that does not finish.");
    if (r.status !== "cancelling") throw new ConflictError(`This run has already ended (${r.status}).`);
    await sql.exec(`UPDATE "Run" SET "killRequested" = true WHERE id = $1`, [runId]);
    await recordAuditIn(sql, {
      actor: by,
      action: "run.kill-requested",
      target: runId,
      outcome: "success",
      detail: { pipeline: r.pipeline },
    });
    await notify(sql, RUN_CANCEL, runId);
  });
}

// ---------------------------------------------------------------------------------------------- approval

/** A guarded run's saved plan: the file to apply, and its summary to show. */
export type SavedPlan = { summary: PlanSummary; plan: Buffer };
/** Who may approve and for how long (the cluster's approval config, with defaults). */
export type ApprovalTerms = Pick<ApprovalPolicy, "approverRole" | "expiresAfterMinutes">;

/**
 * running → awaiting_approval, by the owning worker once the plan step succeeded: the plan is stored and
 * the worker lets go (no owner, no heartbeat, so the sweeper leaves it alone); it still holds the cluster.
 */
export async function awaitApproval(
  db: StoreDb,
  runId: string,
  workerId: string,
  saved: SavedPlan,
  terms: ApprovalTerms,
): Promise<boolean> {
  return inStoreTransaction(db, async (sql) => {
    const n = await sql.exec(
      `UPDATE "Run" SET status = ${run("awaiting_approval")}, "workerId" = NULL, "heartbeatAt" = NULL WHERE id = $1 AND "workerId" = $2 AND status = ${run("running")}`,
      [runId, workerId],
    );
    if (!n) return false;
    const [p] = await sql.rows<{ expiresAt: Date }>(
      `INSERT INTO "RunPlan" ("runId", summary, plan, "expiresAt", "approverRole") VALUES ($1, $2::jsonb, $3, now() + make_interval(mins => $4::int), $5::"Role")
       RETURNING "expiresAt"`,
      [runId, JSON.stringify(saved.summary), saved.plan, terms.expiresAfterMinutes, terms.approverRole],
    );
    const { add, change, destroy, replace } = saved.summary;
    await recordAuditIn(sql, {
      actor: workerActor(workerId),
      action: "run.awaiting-approval",
      target: runId,
      outcome: "success",
      detail: {
        add,
        change,
        destroy,
        replace,
        approverRole: terms.approverRole,
        expiresAt: new Date(p!.expiresAt).toISOString(),
      },
    });
    await notify(sql, RUN_STATE, runId);
    return true;
  });
}

type Waiting = { requestedBy: string; pipeline: string; approverRole: RoleName; expiresAt: Date; expired: boolean };

/** Locks a run that awaits approval and checks that `by` may decide on it; refusals say why. */
async function lockForDecision(sql: Sql, runId: string, by: string, verb: "approve" | "reject"): Promise<Waiting> {
  const { run: r } = await lockRun(sql, runId);
  if (r.status !== "awaiting_approval")
    throw new ConflictError(`This run is not awaiting approval (it is ${RUN_STATUS_LABELS[r.status] ?? r.status}).`);
  const [w] = await sql.rows<Waiting>(
    `SELECT r."requestedBy", r.pipeline, p."approverRole"::text AS "approverRole", p."expiresAt", p."expiresAt" <= now() AS expired
       FROM "Run" r JOIN "RunPlan" p ON p."runId" = r.id WHERE r.id = $1`,
    [runId],
  );
  if (!w) throw new ConflictError("This run has no stored plan to decide on.");
  if (w.expired)
    throw new ConflictError(
      `The approval window closed at ${new Date(w.expiresAt).toISOString().slice(11, 16)} UTC: the run expires.`,
    );
  if (isSamePerson(w.requestedBy, by)) {
    throw new ForbiddenError(`You requested this run: an ${w.approverRole} other than you must ${verb} it.`);
  }
  const role = await userRole(sql, by);
  if (!role || !hasRole(role, w.approverRole)) {
    throw new ForbiddenError(
      `Not allowed: to ${verb} this run you need the ${w.approverRole} role${role ? `, and you are ${role}` : ""}.`,
    );
  }
  return w;
}

/** The requester and the approver are one person when they are the same user, also across the CLI ("cli:NAME"). */
function isSamePerson(requestedBy: string, by: string): boolean {
  const bare = (s: string) => s.replace(/^cli:/, "").toLowerCase();
  return bare(requestedBy) === bare(by);
}

/**
 * awaiting_approval → queued: approved by a second person holding the approver role (read from the
 * database now), within the window. A worker claims it again and applies exactly the stored plan.
 */
export async function approveRun(
  db: StoreDb,
  runId: string,
  by: string,
  comment: string,
): Promise<{ status: RunStatus }> {
  return inStoreTransaction(db, async (sql) => {
    const w = await lockForDecision(sql, runId, by, "approve");
    await sql.exec(
      `UPDATE "Run" SET status = ${run("queued")} WHERE id = $1 AND status = ${run("awaiting_approval")}`,
      [runId],
    );
    await sql.exec(
      `UPDATE "RunPlan" SET decision = 'approved', "decidedBy" = $2, comment = $3, "decidedAt" = now() WHERE "runId" = $1`,
      [runId, by, comment],
    );
    await recordAuditIn(sql, {
      actor: by,
      action: "run.approved",
      target: runId,
      outcome: "success",
      detail: { pipeline: w.pipeline, comment },
    });
    await notify(sql, RUN_QUEUED, runId);
    await notify(sql, RUN_STATE, runId);
    return { status: "queued" as const };
  });
}

/** awaiting_approval → rejected: its remaining steps are skipped and the cluster is free. Same rule as approving. */
export async function rejectRun(
  db: StoreDb,
  runId: string,
  by: string,
  comment: string,
): Promise<{ status: RunStatus }> {
  return inStoreTransaction(db, async (sql) => {
    const w = await lockForDecision(sql, runId, by, "reject");
    await sql.exec(
      `UPDATE "Run" SET status = ${run("rejected")}, "finishedAt" = now(), error = $2 WHERE id = $1 AND status = ${run("awaiting_approval")}`,
      [runId, `rejected by ${by}: ${comment}`],
    );
    await sql.exec(
      `UPDATE "RunStep" SET status = ${step("skipped")} WHERE "runId" = $1 AND status = ${step("pending")}`,
      [runId],
    );
    await sql.exec(
      `UPDATE "RunPlan" SET decision = 'rejected', "decidedBy" = $2, comment = $3, "decidedAt" = now() WHERE "runId" = $1`,
      [runId, by, comment],
    );
    await recordAuditIn(sql, {
      actor: by,
      action: "run.rejected",
      target: runId,
      outcome: "success",
      detail: { pipeline: w.pipeline, comment },
    });
    await notify(sql, RUN_STATE, runId);
    return { status: "rejected" as const };
  });
}

/** awaiting_approval → expired for every run whose approval window has closed; returns their ids. */
export async function expireApprovals(db: StoreDb): Promise<string[]> {
  return inStoreTransaction(db, async (sql) => {
    const rows = await sql.rows<{ id: string; expiresAt: Date }>(
      `UPDATE "Run" r SET status = ${run("expired")}, "finishedAt" = now(),
              error = 'expired: nobody approved the plan by ' || to_char(p."expiresAt", 'YYYY-MM-DD HH24:MI') || ' UTC; nothing was applied'
         FROM "RunPlan" p
        WHERE p."runId" = r.id AND r.status = ${run("awaiting_approval")} AND p."expiresAt" <= now()
        RETURNING r.id, p."expiresAt"`,
    );
    const ids = rows.map((r) => r.id);
    if (!ids.length) return ids;
    await sql.exec(
      `UPDATE "RunStep" SET status = ${step("skipped")} WHERE "runId" = ANY($1::text[]) AND status = ${step("pending")}`,
      [ids],
    );
    await sql.exec(`UPDATE "RunPlan" SET decision = 'expired', "decidedAt" = now() WHERE "runId" = ANY($1::text[])`, [
      ids,
    ]);
    for (const r of rows) {
      await recordAuditIn(sql, {
        actor: "system",
        action: "run.expired",
        target: r.id,
        outcome: "success",
        detail: { expiresAt: new Date(r.expiresAt).toISOString() },
      });
      await notify(sql, RUN_STATE, r.id);
    }
    return ids;
  });
}
