// The queue side: which consumers should run (from phases and faults), and the modeled broker used without RabbitMQ.
import { randomBytes } from "node:crypto";
import type { Cluster } from "./cluster";
import type { QueueHooks } from "./lifecycle";
import { ensureDefaultUserSecret, removeDefaultUserSecret } from "./rabbitmq-auth";
import { renderMetrics, type BrokerFigures } from "./rabbitmq-metrics";
import { QUEUES, WORK_QUEUES } from "./seed";

// The queue backend the server talks to: a real RabbitMQ or the model below.
export interface QueueBackend extends QueueHooks {
  readonly kind: "model" | "rabbitmq";
  // Brings consumers in line with phases and active faults.
  apply(): Promise<void>;
  publish(queue: string, n: number): Promise<void>;
  consume(queue: string, n: number): Promise<number>;
  // One-shot effects of a fault being injected (backlog, dead letters) and healed (purge).
  faultStarted(kind: string, queue: string): Promise<void>;
  faultHealed(kind: string, queue: string): Promise<void>;
  // Answers a management API path (after `/api`, credentials already checked), or null to let the caller proxy it.
  mgmt(path: string): { status: number; body: unknown } | null;
  // Answers the Prometheus endpoint (the path after the port), or null: not modeled here, or not a metrics path.
  metrics(path: string, query: URLSearchParams): string | null;
  // The real broker's listener behind a Service port, without credentials; null for the model.
  upstream(port: "management" | "prometheus"): URL | null;
  declared(): boolean;
  close(): Promise<void>;
}

// The celery workers behind each work queue, and how many consumers they run.
export const CONSUMERS: Record<string, number> = { "q.ai": 3, "q.batch": 2, "q.api": 2, "q.sched": 2, "q.dlq": 0 };

// Desired consumer state per work queue: running, how many, and whether workers dead-letter what they get.
export function desiredConsumers(c: Cluster): Record<string, { consumers: number; reject: boolean }> {
  const out: Record<string, { consumers: number; reject: boolean }> = {};
  const up = c.phasesDone.has("apps");
  const gone = c.faults.some((f) => f.kind === "consumers-gone");
  for (const q of WORK_QUEUES) {
    const backlog = c.faults.some((f) => f.kind === "queue-backlog" && f.target === q);
    out[q] = {
      consumers: up && !gone && !backlog ? CONSUMERS[q]! : 0,
      reject: c.faults.some((f) => f.kind === "dlq-growth" && f.target === q),
    };
  }
  return out;
}

interface QState {
  ready: number;
  unacked: number;
  publish: number;
  deliver: number;
  pubRate: number;
  delRate: number;
}
// The broker's channels as its metric tables see them: the API services' publishing channel, and one consuming
// channel per work queue's Celery workers, opened with a fresh pid (counters from 0) whenever they reconnect.
interface Channels {
  next: number;
  producer: string;
  published: Record<string, number>;
  consumers: Record<string, { pid: string; delivered: number; acked: number }>;
}

const NODE = "rabbit@rabbitmq-server-0.rabbitmq-nodes.messaging";
// The size of one celery task message the sandbox publishes, for the byte gauges.
const MESSAGE_BYTES = 87;
// RabbitMQ refreshes the tables its Prometheus plugin reads every collect_statistics_interval (5 s by default).
const STATS_INTERVAL_MS = 5000;

const BASE_RATE: Record<string, number> = { "q.ai": 0.8, "q.batch": 0.2, "q.api": 2, "q.sched": 0.1, "q.dlq": 0 };

// The modeled broker: depths, consumers and rates move once a second like a real one's would.
export class ModelQueues implements QueueBackend {
  readonly kind = "model" as const;
  private q = new Map<string, QState>();
  private ch: Channels;
  private timer: NodeJS.Timeout;
  private stats: { at: number; figures: BrokerFigures } | null = null;

  constructor(
    private c: Cluster,
    private vhost: string,
  ) {
    const saved = (c.extra.queueModel ?? {}) as Record<string, QState>;
    for (const [k, v] of Object.entries(saved)) this.q.set(k, v);
    this.ch = (c.extra.queueChannels as Channels | undefined) ?? ModelQueues.freshChannels();
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  declared(): boolean {
    return this.q.size > 0;
  }

  private static freshChannels(): Channels {
    return { next: 812, producer: "<0.811.0>", published: {}, consumers: {} };
  }

  private tick(): void {
    if (!this.q.size) return;
    const want = desiredConsumers(this.c);
    for (const name of WORK_QUEUES) {
      const s = this.q.get(name)!;
      const d = want[name]!;
      const inflow = this.c.phasesDone.has("apps")
        ? BASE_RATE[name]! * (this.c.faults.some((f) => f.kind === "queue-backlog" && f.target === name) ? 40 : 1)
        : 0;
      const arrived = Math.round(inflow + Math.random() * 0.5 * inflow);
      this.published(name, arrived);
      const served = Math.min(s.ready, d.consumers * 5);
      s.ready -= served;
      s.deliver += served;
      s.unacked = Math.min(d.consumers * 2, served);
      if (d.reject) this.add("q.dlq", served);
      s.pubRate = arrived;
      s.delRate = served;
      if (d.consumers) {
        const con = (this.ch.consumers[name] ??= { pid: `<0.${this.ch.next++}.0>`, delivered: 0, acked: 0 });
        con.delivered += served;
        // A worker that rejects (dlq-growth) nacks instead of acking.
        if (!d.reject) con.acked = con.delivered - s.unacked;
      } else delete this.ch.consumers[name];
    }
    this.c.extra.queueModel = Object.fromEntries(this.q);
    this.c.extra.queueChannels = this.ch;
  }

  // A publish through the producing channel (counted in its channel_queue_exchange row).
  private published(name: string, n: number): void {
    this.add(name, n);
    this.ch.published[name] = (this.ch.published[name] ?? 0) + n;
  }

  private add(name: string, n: number): void {
    const s = this.q.get(name);
    if (!s) return;
    s.ready += n;
    s.publish += n;
  }

  async messagingUp(log: (s: string) => void): Promise<void> {
    this.stats = null;
    for (const name of QUEUES)
      if (!this.q.has(name)) this.q.set(name, { ready: 0, unacked: 0, publish: 0, deliver: 0, pubRate: 0, delRate: 0 });
    ensureDefaultUserSecret(this.c);
    log(
      `queues ${QUEUES.join(", ")} declared in the sandbox's modeled broker (no RabbitMQ configured); work queues dead-letter to q.dlq`,
    );
    log(`the operator's Secret messaging/rabbitmq-default-user holds the management API's generated credentials`);
  }
  async workersUp(): Promise<void> {}
  async messagingDown(): Promise<void> {
    this.stats = null;
    this.q.clear();
    this.c.extra.queueModel = {};
    this.ch = ModelQueues.freshChannels();
    this.c.extra.queueChannels = this.ch;
    removeDefaultUserSecret(this.c);
  }
  async apply(): Promise<void> {}

  async publish(queue: string, n: number): Promise<void> {
    this.stats = null;
    if (!this.q.has(queue)) throw new Error(`queue ${queue} does not exist; has the messaging phase run?`);
    this.published(queue, n);
    this.q.get(queue)!.pubRate = n;
  }

  async consume(queue: string, n: number): Promise<number> {
    this.stats = null;
    const s = this.q.get(queue);
    if (!s) throw new Error(`queue ${queue} does not exist; has the messaging phase run?`);
    const got = Math.min(n, s.ready);
    s.ready -= got;
    s.deliver += got;
    return got;
  }

  async faultStarted(kind: string, queue: string): Promise<void> {
    this.stats = null;
    if (kind === "queue-backlog") this.published(queue, 1500);
    // Dead-lettering moves messages inside the broker: no channel publishes them.
    if (kind === "dlq-growth") this.add("q.dlq", 40);
  }

  async faultHealed(kind: string, queue: string): Promise<void> {
    this.stats = null;
    if (kind === "queue-backlog") this.q.get(queue)!.ready = 0;
    if (kind === "dlq-growth") this.q.get("q.dlq")!.ready = 0;
  }

  private queueJson(name: string, s: QState) {
    const want = desiredConsumers(this.c)[name];
    const consumers = name === "q.dlq" ? 0 : (want?.consumers ?? 0);
    const rate = (r: number) => ({ rate: r });
    return {
      name,
      vhost: this.vhost,
      durable: true,
      auto_delete: false,
      exclusive: false,
      type: "classic",
      state: "running",
      node: "rabbit@rabbitmq-server-0.rabbitmq-nodes.messaging",
      policy: null,
      arguments: name === "q.dlq" ? {} : { "x-dead-letter-exchange": "", "x-dead-letter-routing-key": "q.dlq" },
      consumers,
      consumer_capacity: consumers ? 1 : 0,
      consumer_utilisation: consumers ? 1 : null,
      messages: s.ready + s.unacked,
      messages_details: rate(0),
      messages_ready: s.ready,
      messages_ready_details: rate(0),
      messages_unacknowledged: s.unacked,
      messages_unacknowledged_details: rate(0),
      message_stats: {
        publish: s.publish,
        publish_details: rate(s.pubRate),
        deliver_get: s.deliver,
        deliver_get_details: rate(s.delRate),
        ack: s.deliver,
        ack_details: rate(s.delRate),
      },
      idle_since: consumers ? undefined : new Date().toISOString().replace("T", " ").slice(0, 19),
    };
  }

  mgmt(path: string): { status: number; body: unknown } | null {
    const p = path.split("?")[0]!.replace(/\/+$/, "");
    const vh = encodeURIComponent(this.vhost);
    const list = () => [...this.q.entries()].map(([n, s]) => this.queueJson(n, s));
    const notFound = { status: 404, body: { error: "Object Not Found", reason: "Not Found" } };
    if (p === "/queues" || p === `/queues/${vh}`) return { status: 200, body: list() };
    const m = /^\/queues\/([^/]+)\/([^/]+)$/.exec(p);
    if (m) {
      const s = m[1] === vh ? this.q.get(decodeURIComponent(m[2]!)) : undefined;
      return s ? { status: 200, body: this.queueJson(decodeURIComponent(m[2]!), s) } : notFound;
    }
    if (p === "/overview") {
      const qs = list();
      const sum = (f: (q: any) => number) => qs.reduce((a, q) => a + f(q), 0);
      return {
        status: 200,
        body: {
          management_version: "3.12.10",
          rates_mode: "basic",
          product_name: "RabbitMQ",
          product_version: "3.12.10",
          rabbitmq_version: "3.12.10",
          erlang_version: "25.3.2.8",
          cluster_name: "rabbitmq",
          node: "rabbit@rabbitmq-server-0.rabbitmq-nodes.messaging",
          message_stats: {
            publish: sum((q) => q.message_stats.publish),
            publish_details: { rate: sum((q) => q.message_stats.publish_details.rate) },
            deliver_get: sum((q) => q.message_stats.deliver_get),
            deliver_get_details: { rate: sum((q) => q.message_stats.deliver_get_details.rate) },
          },
          queue_totals: {
            messages: sum((q) => q.messages),
            messages_ready: sum((q) => q.messages_ready),
            messages_unacknowledged: sum((q) => q.messages_unacknowledged),
          },
          object_totals: {
            queues: qs.length,
            consumers: sum((q) => q.consumers),
            connections: qs.length ? 4 : 0,
            channels: sum((q) => q.consumers),
            exchanges: 7,
          },
          listeners: [
            {
              node: "rabbit@rabbitmq-server-0.rabbitmq-nodes.messaging",
              protocol: "amqp",
              ip_address: "::",
              port: 5672,
            },
          ],
        },
      };
    }
    return notFound;
  }

  // The figures the Prometheus plugin reads from the broker's metric tables.
  figures(): BrokerFigures {
    const want = desiredConsumers(this.c);
    const queues = [...this.q.entries()].map(([name, s]) => ({
      vhost: this.vhost,
      name,
      ready: s.ready,
      unacked: s.unacked,
      consumers: name === "q.dlq" ? 0 : (want[name]?.consumers ?? 0),
      reductions: 7_354 + s.publish * 41 + s.deliver * 63,
      bytesPerMessage: MESSAGE_BYTES,
    }));
    const consumers = Object.entries(this.ch.consumers);
    const clusterId = ((this.c.extra.rabbitmqPermanentId as string | undefined) ??=
      `rabbitmq-cluster-id-${randomBytes(16).toString("base64url").slice(0, 22)}`);
    return {
      node: NODE,
      clusterName: "rabbitmq",
      clusterId,
      connections: this.q.size ? 1 + consumers.length : 0,
      channels: this.q.size ? 1 + consumers.length : 0,
      queues,
      channelQueues: consumers.map(([queue, x]) => ({
        channel: x.pid,
        vhost: this.vhost,
        queue,
        deliveredAck: x.delivered,
        acked: x.acked,
        getNoAck: 0,
      })),
      publishes: Object.entries(this.ch.published)
        .filter(([queue]) => this.q.has(queue))
        .map(([queue, published]) => ({
          channel: this.ch.producer,
          vhost: this.vhost,
          queue,
          exchange: "",
          published,
        })),
    };
  }

  // Served from a snapshot renewed every stats interval, as the plugin serves the broker's last emitted stats; an
  // admin action (load, fault, heal, phase) renews it at once so the sandbox's own tests need not wait.
  metrics(path: string, query: URLSearchParams): string | null {
    if (!this.stats || Date.now() - this.stats.at >= STATS_INTERVAL_MS)
      this.stats = { at: Date.now(), figures: this.figures() };
    return renderMetrics(path, query, this.stats.figures);
  }

  upstream(): null {
    return null;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
  }
}
