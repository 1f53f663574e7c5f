import "server-only";
import { db } from "@/server/db";
import type { ClusterConfig } from "@/server/config/clusters";
import { clusterWebhooks, maskUrl } from "@/server/notify/webhooks";

// Reads for the admin's delivery log: the configured webhooks (URLs masked) and the recent deliveries.

export type WebhookRow = {
  cluster: string;
  name: string;
  format: string;
  events: string;
  source: string;
  masked: string;
};
export type DeliveryRow = {
  id: string;
  at: string;
  cluster: string;
  webhook: string;
  event: string;
  runId: string | null;
  status: string;
  attempts: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number | null;
  nextAttemptAt: string | null;
};

/** Every configured webhook, by cluster; the URL as scheme and host only. */
export async function listWebhooks(): Promise<WebhookRow[]> {
  const clusters = await db().cluster.findMany({ orderBy: { name: "asc" }, select: { name: true, config: true } });
  return clusters.flatMap((c) =>
    clusterWebhooks(c.config as ClusterConfig).map((w) => ({
      cluster: c.name,
      name: w.name,
      format: w.format,
      events: w.events?.join(", ") ?? "all",
      source: w.source,
      masked: maskUrl(w.url),
    })),
  );
}

/** The latest deliveries, newest first; `status` narrows to pending, delivered or failed. */
export async function listDeliveries(
  opts: { limit?: number; status?: "pending" | "delivered" | "failed" } = {},
): Promise<DeliveryRow[]> {
  const [rows, clusters] = await Promise.all([
    db().webhookDelivery.findMany({
      where: opts.status ? { status: opts.status } : {},
      orderBy: { id: "desc" },
      take: opts.limit ?? 100,
      include: { event: { select: { event: true, runId: true } } },
    }),
    db().cluster.findMany({ select: { id: true, name: true } }),
  ]);
  const names = new Map(clusters.map((c) => [c.id, c.name]));
  return rows.map((d) => ({
    id: String(d.id),
    at: d.createdAt.toISOString(),
    cluster: names.get(d.clusterId) ?? "?",
    webhook: d.webhook,
    event: d.event.event,
    runId: d.event.runId,
    status: d.status,
    attempts: d.attempts,
    statusCode: d.statusCode,
    error: d.error,
    durationMs: d.durationMs,
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
  }));
}
