import "server-only";
import type pg from "pg";
import type { ClusterConfig, NotifyEvent } from "@/server/config/clusters";
import { Redactor } from "@/server/runs/redact";
import { endEvent, type EventData, type RunEventData } from "@/server/notify/events";
import { clusterWebhooks, wants } from "@/server/notify/webhooks";

// Writes events into the outbox, once: the unique key makes a second writer (another worker's
// background process, a rescan) a no-op, and only the writer that inserted the event queues its
// deliveries, in the same transaction.

export type OutboxEvent = {
  key: string;
  clusterId: string;
  runId: string | null;
  event: NotifyEvent;
  data: EventData;
  config: ClusterConfig;
};

/** Inserts the event and its deliveries inside the caller's transaction; false when it was already there. */
export async function recordEventIn(client: pg.PoolClient, e: OutboxEvent): Promise<boolean> {
  const ins = await client.query<{ id: string }>(
    `INSERT INTO "NotificationEvent" (key, "clusterId", "runId", event, data) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
    [e.key, e.clusterId, e.runId, e.event, JSON.stringify(e.data)],
  );
  const id = ins.rows[0]?.id;
  if (!id) return false;
  for (const w of clusterWebhooks(e.config).filter((x) => wants(x, e.event))) {
    await client.query(
      `INSERT INTO "WebhookDelivery" ("eventId", "clusterId", webhook, format) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [id, e.clusterId, w.name, w.format],
    );
  }
  return true;
}

/** Runs `fn` in a transaction on a pooled connection. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Inserts the event and one pending delivery per subscribed webhook; false when it was already there. */
export function recordEvent(pool: pg.Pool, e: OutboxEvent): Promise<boolean> {
  return inTransaction(pool, (client) => recordEventIn(client, e));
}

type RunRow = {
  id: string;
  clusterId: string;
  cluster: string;
  config: ClusterConfig;
  pipeline: string;
  params: { node?: string } | null;
  status: string;
  requestedBy: string;
  reason: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  cancelledBy: string | null;
  plan: { add: number; change: number; destroy: number; replace: number } | null;
  expiresAt: Date | null;
  decision: string | null;
  decidedBy: string | null;
  comment: string | null;
};

// A fresh redactor per text: it carries state across lines (PEM blocks), which must not leak between runs.
const redact = (s: string) => new Redactor().line(s);

function runData(r: RunRow): RunEventData {
  return {
    kind: "run",
    cluster: r.cluster,
    runId: r.id,
    pipeline: r.pipeline,
    status: r.status,
    requestedBy: r.requestedBy,
    reason: redact(r.reason).slice(0, 200),
    node: r.params?.node ?? null,
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    durationSeconds: r.startedAt && r.finishedAt ? (r.finishedAt.getTime() - r.startedAt.getTime()) / 1000 : null,
    error: r.error ? redact(r.error).slice(0, 300) : null,
    cancelledBy: r.cancelledBy,
    approval:
      r.plan && r.expiresAt
        ? {
            add: r.plan.add,
            change: r.plan.change,
            destroy: r.plan.destroy,
            replace: r.plan.replace,
            expiresAt: r.expiresAt.toISOString(),
            decidedBy: r.decidedBy,
            comment: r.comment ? redact(r.comment).slice(0, 300) : null,
          }
        : null,
  };
}

/** Records the events the runs' current states imply (started, then how they ended); returns how many were new. */
export async function recordRunEvents(pool: pg.Pool, runIds: string[]): Promise<number> {
  if (!runIds.length) return 0;
  const res = await pool.query<RunRow>(
    `SELECT r.id, r."clusterId", c.name AS cluster, c.config, r.pipeline, r.params, r.status, r."requestedBy", r.reason,
            r."startedAt", r."finishedAt", r.error, r."cancelledBy",
            p.summary AS plan, p."expiresAt", p.decision, p."decidedBy", p.comment
       FROM "Run" r JOIN "Cluster" c ON c.id = r."clusterId" LEFT JOIN "RunPlan" p ON p."runId" = r.id
      WHERE r.id = ANY($1) ORDER BY r."createdAt"`,
    [runIds],
  );
  let created = 0;
  for (const r of res.rows) {
    const events: NotifyEvent[] = [];
    if (r.startedAt) events.push("run.started");
    if (r.plan) events.push("run.awaiting-approval");
    if (r.decision === "approved") events.push("run.approved");
    const end = endEvent(r.status);
    if (end) events.push(end);
    for (const event of events) {
      const data = runData(r);
      if (
        await recordEvent(pool, {
          key: `run:${r.id}:${event}`,
          clusterId: r.clusterId,
          runId: r.id,
          event,
          data,
          config: r.config,
        })
      )
        created++;
    }
  }
  return created;
}

/** Runs whose events may not be recorded yet: active ones, and those that ended within `withinMs`. */
export async function recentRunIds(pool: pg.Pool, withinMs: number): Promise<string[]> {
  const res = await pool.query<{ id: string }>(
    `SELECT id FROM "Run" WHERE status IN ('running', 'awaiting_approval', 'cancelling') OR "finishedAt" > now() - make_interval(secs => $1::float8 / 1000)`,
    [withinMs],
  );
  return res.rows.map((r) => r.id);
}

/** Deletes outbox events (and, by cascade, their deliveries) older than `olderThanMs`; returns how many. */
export async function pruneOutbox(pool: pg.Pool, olderThanMs: number): Promise<number> {
  const res = await pool.query(
    `DELETE FROM "NotificationEvent" WHERE "createdAt" < now() - make_interval(secs => $1::float8 / 1000)`,
    [olderThanMs],
  );
  return res.rowCount ?? 0;
}
