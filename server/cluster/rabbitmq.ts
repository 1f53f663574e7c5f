import "server-only";
import type { KubeTarget } from "@/server/cluster/kubeconfig";
import type { Connection } from "@/server/cluster/connection";
import { kubeGetJson } from "@/server/cluster/kube-http";
import type { Problem } from "@/server/cluster/types";

// RabbitMQ: per-queue depth, consumers and rates from the management API (through the Kubernetes
// service proxy, or a configured URL), and the queue problems on-call cares about.

export type QueueInfo = { name: string; vhost: string; messages: number; ready: number; unacked: number; consumers: number; publishRate: number; deliverRate: number; state: string };
export type DepthPoint = { time: number; messages: number };

type RawQueue = {
  name: string; vhost?: string; state?: string; consumers?: number; messages?: number; messages_ready?: number; messages_unacknowledged?: number;
  message_stats?: { publish_details?: { rate?: number }; deliver_get_details?: { rate?: number } };
};

export const PROXY_PATH = "/api/v1/namespaces/messaging/services/rabbitmq:15672/proxy/api/queues";

/** Maps a management API queue to the portal's shape (absent counters are 0, as for an idle queue). */
export function toQueueInfo(q: RawQueue): QueueInfo {
  return {
    name: q.name, vhost: q.vhost ?? "/", state: q.state ?? "running",
    messages: q.messages ?? 0, ready: q.messages_ready ?? 0, unacked: q.messages_unacknowledged ?? 0, consumers: q.consumers ?? 0,
    publishRate: round(q.message_stats?.publish_details?.rate ?? 0), deliverRate: round(q.message_stats?.deliver_get_details?.rate ?? 0),
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
  const first = recent[0]!, last = recent[recent.length - 1]!;
  if (last.messages - first.messages < 50) return null;
  return { from: first.messages, to: last.messages, minutes: Math.max(1, Math.round((last.time - first.time) / 60_000)) };
}

/** q.dlq above 0, a work queue without consumers, a depth that keeps growing, an expected queue missing. */
export function queueProblems(queues: QueueInfo[], history: Record<string, DepthPoint[]>, now: number, expected: readonly string[] = []): Problem[] {
  const out: Problem[] = [];
  const base = { source: "rabbitmq" as const, namespace: "messaging", workload: "rabbitmq-server" };
  for (const name of expected)
    if (!queues.some((q) => q.name === name))
      out.push({ ...base, type: "queue-missing", severity: "warning", queue: name, message: `Queue ${name} does not exist`, hint: "The messaging phase declares the queues: re-run provision, or declare it." });
  for (const q of queues) {
    if (isDlq(q.name)) {
      if (q.messages > 0)
        out.push({ ...base, type: "dlq-not-empty", severity: "warning", queue: q.name, message: `${q.name} holds ${q.messages} dead-lettered message${q.messages === 1 ? "" : "s"}`, hint: "Workers rejected them: read a few in the management UI, fix the cause, then shovel or purge." });
      continue;
    }
    if (q.consumers === 0)
      out.push({ ...base, type: "queue-no-consumers", severity: "warning", queue: q.name, message: `${q.name} has no consumers${q.messages ? ` (${q.messages} messages waiting)` : ""}`, hint: "The Celery workers for this queue are down or disconnected: check their pods." });
    const g = depthGrowing([...(history[q.name] ?? []), { time: now, messages: q.messages }], now);
    if (g)
      out.push({ ...base, type: "queue-growing", severity: "warning", queue: q.name, message: `${q.name} keeps growing: ${g.from} → ${g.to} messages in ${g.minutes} min`, hint: "Publishers outpace the consumers: scale the workers or find what slows them." });
  }
  return out;
}

/** Reads the queues: the configured URL (credentials in it), or the service proxy through the kubeconfig. */
export async function listQueues(conn: Connection, kc: KubeTarget | null, signal: AbortSignal): Promise<QueueInfo[]> {
  const vh = conn.rabbitmq.vhost ? `/${encodeURIComponent(conn.rabbitmq.vhost)}` : "";
  let raw: RawQueue[];
  if (conn.rabbitmq.url) {
    const u = new URL(conn.rabbitmq.url);
    const auth = u.username ? `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64")}` : undefined;
    u.username = "";
    u.password = "";
    const res = await fetch(`${u.toString().replace(/\/+$/, "")}/api/queues${vh}`, { headers: { accept: "application/json", ...(auth ? { authorization: auth } : {}) }, signal });
    if (!res.ok) throw new Error(`management API answered ${res.status} ${res.statusText}`);
    raw = (await res.json()) as RawQueue[];
  } else {
    if (!kc) throw new Error("no kubeconfig");
    raw = await kubeGetJson<RawQueue[]>(kc, `${PROXY_PATH}${vh}`, signal);
  }
  if (!Array.isArray(raw)) throw new Error("management API did not answer a queue list");
  return raw.map(toQueueInfo).sort((a, b) => a.name.localeCompare(b.name));
}
