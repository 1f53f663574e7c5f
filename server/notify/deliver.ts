import "server-only";
import type pg from "pg";
import type { ClusterConfig, NotifyEvent } from "@/server/config/clusters";
import type { EventData } from "@/server/notify/events";
import { buildMessage, jsonPayload, slackPayload } from "@/server/notify/messages";
import { clusterWebhooks, scrubUrl } from "@/server/notify/webhooks";
import { log } from "@/server/log";

// Drains the outbox: claims due deliveries (SKIP LOCKED, so several workers share the work), POSTs them
// with a timeout, and records the answer. A failure is retried with exponential backoff until
// `maxAttempts`, then marked failed and logged (by webhook name: the URL is a secret).

export type DeliveryOptions = {
  /** The portal's public URL, for links. */
  baseUrl: string;
  maxAttempts: number;
  /** First retry delay; each later one doubles, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
};

export const DEFAULT_DELIVERY: Omit<DeliveryOptions, "baseUrl"> = {
  maxAttempts: 6,
  backoffMs: 10_000,
  maxBackoffMs: 15 * 60_000,
  timeoutMs: 10_000,
};

export type Claimed = {
  id: string;
  attempts: number;
  webhook: string;
  format: string;
  eventId: string;
  event: NotifyEvent;
  data: EventData;
  occurredAt: Date;
  config: ClusterConfig;
};

/** Delay before attempt `attempts + 1`, with up to 20% jitter so retries of many deliveries spread out. */
export function backoffDelay(
  attempts: number,
  o: Pick<DeliveryOptions, "backoffMs" | "maxBackoffMs">,
  random = Math.random,
): number {
  const base = Math.min(o.maxBackoffMs, o.backoffMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (1 + 0.2 * random()));
}

type Outcome = { ok: boolean; statusCode: number | null; error: string | null; durationMs: number };

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs: number,
  stop?: AbortSignal,
): Promise<Outcome> {
  const started = performance.now();
  try {
    const timeout = AbortSignal.timeout(timeoutMs);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "growbin-ops-portal", ...headers },
      body: JSON.stringify(body),
      signal: stop ? AbortSignal.any([timeout, stop]) : timeout,
      redirect: "error",
    });
    const text = await res.text().catch(() => "");
    const durationMs = Math.round(performance.now() - started);
    return res.ok
      ? { ok: true, statusCode: res.status, error: null, durationMs }
      : {
          ok: false,
          statusCode: res.status,
          error: `HTTP ${res.status}${text ? `: ${text.slice(0, 120)}` : ""}`,
          durationMs,
        };
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    const msg = stop?.aborted
      ? "the notifier stopped during the attempt"
      : e.name === "TimeoutError" || e.name === "AbortError"
        ? `no answer within ${timeoutMs} ms`
        : `${e.message ?? String(err)}${e.cause ? `: ${e.cause.code ?? e.cause.message}` : ""}`;
    return { ok: false, statusCode: null, error: msg, durationMs: Math.round(performance.now() - started) };
  }
}

/** Sends one claimed delivery and records the outcome; `stop` aborts the attempt (it is retried later). */
export async function deliverOne(pool: pg.Pool, d: Claimed, o: DeliveryOptions, stop?: AbortSignal): Promise<void> {
  const hook = clusterWebhooks(d.config).find((w) => w.name === d.webhook);
  let out: Outcome;
  if (!hook)
    out = { ok: false, statusCode: null, error: "the webhook is no longer configured for this cluster", durationMs: 0 };
  else if (!hook.url)
    out = {
      ok: false,
      statusCode: null,
      error: `${hook.source} is not set in the worker's environment`,
      durationMs: 0,
    };
  else {
    const m = buildMessage(d.event, d.data, o.baseUrl);
    const body =
      hook.format === "slack"
        ? slackPayload(d.event, d.data, m)
        : jsonPayload(d.event, d.eventId, d.occurredAt.toISOString(), d.data, m);
    out = await post(hook.url, body, { "x-portal-event": d.event, "x-portal-delivery": d.id }, o.timeoutMs, stop);
    if (out.error) out.error = scrubUrl(out.error, hook.url);
  }
  const giveUp = !out.ok && !stop?.aborted && (d.attempts >= o.maxAttempts || !hook);
  const status = out.ok ? "delivered" : giveUp ? "failed" : "pending";
  const next = new Date(stop?.aborted ? Date.now() : Date.now() + backoffDelay(d.attempts, o));
  await pool.query(
    `UPDATE "WebhookDelivery" SET status = $2::"DeliveryStatus", "statusCode" = $3, error = $4, "durationMs" = $5,
       "deliveredAt" = $6, "nextAttemptAt" = $7 WHERE id = $1`,
    [d.id, status, out.statusCode, out.error, out.durationMs, out.ok ? new Date() : null, next],
  );
  const fields = {
    delivery: d.id,
    webhook: d.webhook,
    event: d.event,
    attempt: d.attempts,
    statusCode: out.statusCode,
    error: out.error,
  };
  if (giveUp) log.warn("webhook delivery gave up", fields);
  else if (!out.ok) log.info("webhook delivery will be retried", { ...fields, nextAttemptAt: next.toISOString() });
}

/** Claims up to `limit` due deliveries (each claim counts as an attempt). */
export async function claimDue(pool: pg.Pool, o: DeliveryOptions, limit: number): Promise<Claimed[]> {
  // The claim pushes nextAttemptAt past the send's timeout: a process that dies mid-send leaves the
  // delivery to be picked up again, not lost.
  const leaseMs = o.timeoutMs + 30_000;
  const res = await pool.query<Claimed>(
    `UPDATE "WebhookDelivery" d SET attempts = d.attempts + 1, "lastAttemptAt" = now(), "nextAttemptAt" = now() + make_interval(secs => $2::float8 / 1000)
       FROM "NotificationEvent" e, "Cluster" c
      WHERE d.id IN (SELECT id FROM "WebhookDelivery" WHERE status = 'pending' AND "nextAttemptAt" <= now() ORDER BY "nextAttemptAt" LIMIT $1 FOR UPDATE SKIP LOCKED)
        AND e.id = d."eventId" AND c.id = d."clusterId"
      RETURNING d.id, d.attempts, d.webhook, d.format, e.id AS "eventId", e.event, e.data, e."createdAt" AS "occurredAt", c.config`,
    [limit, leaseMs],
  );
  return res.rows;
}

/** Claims and sends the deliveries that are due, waiting for all of them; returns how many it attempted. */
export async function deliverDue(pool: pg.Pool, o: DeliveryOptions, limit = 20): Promise<number> {
  const claimed = await claimDue(pool, o, limit);
  await Promise.all(
    claimed.map((d) =>
      deliverOne(pool, d, o).catch((err: unknown) =>
        log.error("webhook delivery failed to record", { delivery: d.id, error: err }),
      ),
    ),
  );
  return claimed.length;
}

/** When the next pending delivery is due (null when none is pending). */
export async function nextDueAt(pool: pg.Pool): Promise<Date | null> {
  const res = await pool.query<{ at: Date | null }>(
    `SELECT min("nextAttemptAt") AS at FROM "WebhookDelivery" WHERE status = 'pending'`,
  );
  return res.rows[0]?.at ?? null;
}
