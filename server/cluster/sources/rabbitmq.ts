import "server-only";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import type { Connection } from "@/server/cluster/kube/connection";
import { kubeGetText } from "@/server/cluster/kube/kube-http";
import {
  detailedMetricsPath,
  parsePrometheusText,
  queuesFromSamples,
} from "@/server/cluster/sources/rabbitmq-prometheus";
import { rateWindow } from "@/server/cluster/sources/rabbitmq-rates";
import type { Problem } from "@/server/cluster/health/types";

// RabbitMQ: per-queue depth, consumers and rates, and the queue problems on-call cares about.
//
// Read from RabbitMQ's Prometheus endpoint (port 15692) through the apiserver's service proxy. Why: kube-apiserver
// never forwards the caller's Authorization header to a proxied service (kubernetes/kubernetes#38775), so the
// management API's basic auth cannot pass through it; the Prometheus endpoint needs no credentials (the plugin's
// default), the RabbitMQ Cluster Operator always enables it and exposes it on the Service, and reading it needs
// only `get services/proxy` on rabbitmq:15692, which a read-only identity can be given. A port-forward would need
// `create pods/portforward` plus `get secrets` for the default user's password; a direct URL needs a route into
// the cluster the seed does not have. A configured management URL (with credentials) is still honoured.

/** A queue as the portal shows it; rates are null until a second reading of the counters (see rabbitmq-rates). */
export type QueueInfo = {
  name: string;
  vhost: string;
  messages: number;
  ready: number;
  unacked: number;
  consumers: number;
  publishRate: number | null;
  deliverRate: number | null;
};
export type DepthPoint = { time: number; messages: number };

type RawQueue = {
  name: string;
  vhost?: string;
  consumers?: number;
  messages?: number;
  messages_ready?: number;
  messages_unacknowledged?: number;
  message_stats?: { publish_details?: { rate?: number }; deliver_get_details?: { rate?: number } };
};

/** The Prometheus endpoint through the service proxy (the Service and port the operator creates). */
export const METRICS_PROXY_PATH = "/api/v1/namespaces/messaging/services/rabbitmq:15692/proxy";

/** Maps a management API queue to the portal's shape (absent counters are 0, as for an idle queue). */
export function toQueueInfo(q: RawQueue): QueueInfo {
  return {
    name: q.name,
    vhost: q.vhost ?? "/",
    messages: q.messages ?? 0,
    ready: q.messages_ready ?? 0,
    unacked: q.messages_unacknowledged ?? 0,
    consumers: q.consumers ?? 0,
    publishRate: round(q.message_stats?.publish_details?.rate ?? 0),
    deliverRate: round(q.message_stats?.deliver_get_details?.rate ?? 0),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
const isDlq = (name: string) => /(^|\.)dlq$/.test(name);

const GROWTH_WINDOW_MS = 10 * 60_000;

/** True when the depth rose at every sample (4+ in the last 10 minutes) by at least 50 messages overall. */
export function depthGrowing(points: DepthPoint[], now: number): { from: number; to: number; minutes: number } | null {
  const recent = points.filter((p) => now - p.time <= GROWTH_WINDOW_MS).sort((a, b) => a.time - b.time);
  if (recent.length < 4) return null;
  for (let i = 1; i < recent.length; i++) if (recent[i]!.messages < recent[i - 1]!.messages) return null;
  const first = recent[0]!,
    last = recent[recent.length - 1]!;
  if (last.messages - first.messages < 50) return null;
  return {
    from: first.messages,
    to: last.messages,
    minutes: Math.max(1, Math.round((last.time - first.time) / 60_000)),
  };
}

/** q.dlq above 0, a work queue without consumers, a depth that keeps growing, an expected queue missing. */
export function queueProblems(
  queues: QueueInfo[],
  history: Record<string, DepthPoint[]>,
  now: number,
  expected: readonly string[] = [],
): Problem[] {
  const out: Problem[] = [];
  const base = { source: "rabbitmq" as const, namespace: "messaging", workload: "rabbitmq-server" };
  for (const name of expected)
    if (!queues.some((q) => q.name === name))
      out.push({
        ...base,
        type: "queue-missing",
        severity: "warning",
        queue: name,
        message: `Queue ${name} does not exist`,
        hint: "The messaging phase declares the queues: re-run provision, or declare it.",
      });
  for (const q of queues) {
    if (isDlq(q.name)) {
      if (q.messages > 0)
        out.push({
          ...base,
          type: "dlq-not-empty",
          severity: "warning",
          queue: q.name,
          message: `${q.name} holds ${q.messages} dead-lettered message${q.messages === 1 ? "" : "s"}`,
          hint: "Workers rejected them: read a few in the management UI, fix the cause, then shovel or purge.",
        });
      continue;
    }
    if (q.consumers === 0)
      out.push({
        ...base,
        type: "queue-no-consumers",
        severity: "warning",
        queue: q.name,
        message: `${q.name} has no consumers${q.messages ? ` (${q.messages} messages waiting)` : ""}`,
        hint: "The Celery workers for this queue are down or disconnected: check their pods.",
      });
    const g = depthGrowing([...(history[q.name] ?? []), { time: now, messages: q.messages }], now);
    if (g)
      out.push({
        ...base,
        type: "queue-growing",
        severity: "warning",
        queue: q.name,
        message: `${q.name} keeps growing: ${g.from} → ${g.to} messages in ${g.minutes} min`,
        hint: "Publishers outpace the consumers: scale the workers or find what slows them.",
      });
  }
  return out;
}

/** Turns a failed read through the service proxy into a sentence that says who refused and what to do. */
export function proxyError(status: number, body: string): Error {
  let j: { kind?: string; message?: string } | null = null;
  try {
    j = JSON.parse(body) as { kind?: string; message?: string };
  } catch {
    // Not JSON: RabbitMQ's own empty or plain answer.
  }
  if (j?.kind === "Status") {
    const m = j.message ?? `HTTP ${status}`;
    if (status === 401) return new Error(`the Kubernetes API refused the portal's credentials (401): ${m}`);
    if (status === 403)
      return new Error(
        `the portal's Kubernetes identity may not read RabbitMQ's metrics (403): ${m}. It needs "get" on services/proxy named rabbitmq:15692 in namespace messaging.`,
      );
    if (status === 404)
      return new Error(`${m}: RabbitMQ's Service messaging/rabbitmq does not exist (has the messaging phase run?)`);
    if (status === 503) return new Error(`RabbitMQ is not reachable behind its Service (503): ${m}`);
    return new Error(`the Kubernetes API answered ${status}: ${m}`);
  }
  if (status === 401 || status === 403)
    return new Error(
      `RabbitMQ's Prometheus endpoint requires credentials (${status}), which the service proxy cannot pass; leave prometheus.authentication off`,
    );
  if (status === 404)
    return new Error(
      "RabbitMQ answered 404 for /metrics/detailed: the rabbitmq_prometheus plugin of RabbitMQ 3.10 or later serves it",
    );
  return new Error(`RabbitMQ's Prometheus endpoint answered ${status}: ${body.trim().slice(0, 120) || "no body"}`);
}

/** Reads the queues through the Prometheus endpoint (service proxy), or from a configured management API URL. */
export async function listQueues(conn: Connection, kc: KubeTarget | null, signal: AbortSignal): Promise<QueueInfo[]> {
  if (conn.rabbitmq.url) return listFromManagementApi(conn.rabbitmq.url, conn.rabbitmq.vhost, signal);
  if (!kc) throw new Error("no kubeconfig");
  const vhost = conn.rabbitmq.vhost;
  const { status, text } = await kubeGetText(
    kc,
    METRICS_PROXY_PATH + detailedMetricsPath(vhost),
    signal,
    "text/plain;version=0.0.4;q=1,*/*;q=0.1",
  );
  if (status < 200 || status >= 300) throw proxyError(status, text);
  const { queues, counters } = queuesFromSamples(parsePrometheusText(text), vhost);
  const rates = rateWindow(`${conn.cluster}|${kc.server.origin}|${vhost ?? ""}`).push({ time: Date.now(), counters });
  return queues
    .map((q) => {
      const r = rates ? (rates.get(`${q.vhost}\u0000${q.name}`) ?? { publish: 0, deliver: 0 }) : null;
      return { ...q, publishRate: r?.publish ?? null, deliverRate: r?.deliver ?? null };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

// The management API answers rates itself (message_stats.*_details.rate), so one reading is enough.
async function listFromManagementApi(
  url: string,
  vhost: string | undefined,
  signal: AbortSignal,
): Promise<QueueInfo[]> {
  const u = new URL(url);
  const auth = u.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64")}`
    : undefined;
  u.username = "";
  u.password = "";
  const vh = vhost ? `/${encodeURIComponent(vhost)}` : "";
  const res = await fetch(`${u.toString().replace(/\/+$/, "")}/api/queues${vh}`, {
    headers: { accept: "application/json", ...(auth ? { authorization: auth } : {}) },
    signal,
  });
  if (!res.ok)
    throw new Error(
      `management API answered ${res.status} ${res.statusText}${res.status === 401 ? ": the URL needs a management user's credentials" : ""}`,
    );
  const raw = (await res.json().catch(() => null)) as RawQueue[] | null;
  if (!Array.isArray(raw)) throw new Error("management API did not answer a queue list");
  return raw.map(toQueueInfo).sort((a, b) => a.name.localeCompare(b.name));
}
