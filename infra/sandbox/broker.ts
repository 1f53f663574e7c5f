// The real-RabbitMQ queue backend: declares the 5 queues and runs the celery workers' consumers with amqplib.
import amqp, { type Channel, type ChannelModel } from "amqplib";
import type { Cluster } from "./cluster";
import { desiredConsumers, type QueueBackend } from "./queues";
import { ensureDefaultUserSecret, readDefaultUser, removeDefaultUserSecret, type DefaultUser } from "./rabbitmq-auth";
import { QUEUES, WORK_QUEUES } from "./seed";

const DLQ_ARGS = { "x-dead-letter-exchange": "", "x-dead-letter-routing-key": "q.dlq" };
// A worker takes this long per message, so a published batch is visible in the depths for a while.
const WORK_MS = 200;

// Talks AMQP to a configured broker, in the sandbox's own vhost.
export class RabbitQueues implements QueueBackend {
  readonly kind = "rabbitmq" as const;
  private conn: ChannelModel | null = null;
  private admin: Channel | null = null;
  private workers = new Map<string, { ch: Channel; reject: boolean; count: number }>();
  private busy: Promise<void> = Promise.resolve();

  // `api` is the management API with an administrator's credentials (--rabbitmq-api); without it there is no
  // default user to create, so no default-user Secret either.
  constructor(
    private c: Cluster,
    private url: string,
    private vhost: string,
    private api?: string,
  ) {}

  declared(): boolean {
    return this.c.phasesDone.has("messaging");
  }

  private async channel(): Promise<Channel> {
    if (this.admin) return this.admin;
    const u = new URL(this.url);
    u.pathname = `/${encodeURIComponent(this.vhost)}`;
    try {
      this.conn = await amqp.connect(u.toString());
    } catch (e) {
      throw new Error(`cannot reach RabbitMQ at ${u.host} (vhost ${this.vhost}): ${(e as Error).message}`);
    }
    this.conn.on("error", () => {});
    this.conn.on("close", () => {
      this.conn = null;
      this.admin = null;
      this.workers.clear();
    });
    this.admin = await this.conn.createChannel();
    this.admin.on("error", () => {});
    this.admin.on("close", () => (this.admin = null));
    return this.admin;
  }

  async messagingUp(log: (s: string) => void): Promise<void> {
    const ch = await this.channel();
    for (const q of WORK_QUEUES) await ch.assertQueue(q, { durable: true, arguments: DLQ_ARGS });
    await ch.assertQueue("q.dlq", { durable: true });
    log(
      `queues ${QUEUES.join(", ")} declared on RabbitMQ ${new URL(this.url).host} vhost ${this.vhost}; work queues dead-letter to q.dlq`,
    );
    if (!this.api)
      return log("no --rabbitmq-api: no default user created, so no Secret messaging/rabbitmq-default-user");
    // As the operator does through default_user.conf: an administrator with every permission on the (sandbox's) vhost.
    const user = ensureDefaultUserSecret(this.c);
    await this.mgmtCall("PUT", `/users/${encodeURIComponent(user.username)}`, {
      password: user.password,
      tags: "administrator",
    });
    await this.mgmtCall("PUT", `/permissions/${encodeURIComponent(this.vhost)}/${encodeURIComponent(user.username)}`, {
      configure: ".*",
      write: ".*",
      read: ".*",
    });
    log(`default user created on RabbitMQ; its credentials are in Secret messaging/rabbitmq-default-user`);
  }

  private async mgmtCall(method: string, path: string, body?: unknown): Promise<void> {
    const u = new URL(this.api!);
    const auth = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64")}`;
    const r = await fetch(`${u.origin}${u.pathname.replace(/\/+$/, "")}/api${path}`, {
      method,
      headers: { authorization: auth, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!r.ok && !(method === "DELETE" && r.status === 404))
      throw new Error(`RabbitMQ management API ${method} ${path}: ${r.status} ${(await r.text()).slice(0, 200)}`);
  }

  async workersUp(): Promise<void> {
    await this.apply();
  }

  async messagingDown(): Promise<void> {
    for (const w of this.workers.values()) await w.ch.close().catch(() => {});
    this.workers.clear();
    const user: DefaultUser | null = readDefaultUser(this.c);
    // A broker that is already gone must not block the teardown; its users went with it.
    if (user && this.api) await this.mgmtCall("DELETE", `/users/${encodeURIComponent(user.username)}`).catch(() => {});
    removeDefaultUserSecret(this.c);
    if (!this.conn) return;
    const ch = await this.channel();
    for (const q of QUEUES) await ch.deleteQueue(q).catch(() => {});
  }

  // Serialised: faults and phases can ask for it at the same time.
  apply(): Promise<void> {
    this.busy = this.busy.then(() => this.applyNow()).catch(() => {});
    return this.busy;
  }

  private async applyNow(): Promise<void> {
    if (!this.c.phasesDone.has("messaging")) return;
    await this.channel();
    for (const [q, d] of Object.entries(desiredConsumers(this.c))) {
      const cur = this.workers.get(q);
      if (cur && (cur.count !== d.consumers || cur.reject !== d.reject)) {
        await cur.ch.close().catch(() => {});
        this.workers.delete(q);
      }
      if (d.consumers && !this.workers.has(q)) {
        const ch = await this.conn!.createChannel();
        ch.on("error", () => {});
        await ch.prefetch(1);
        for (let i = 0; i < d.consumers; i++)
          await ch.consume(q, (msg) => {
            if (!msg) return;
            // Rejecting without requeue is what sends a failing task to q.dlq.
            setTimeout(() => (d.reject ? ch.nack(msg, false, false) : ch.ack(msg)), d.reject ? 5 : WORK_MS);
          });
        this.workers.set(q, { ch, reject: d.reject, count: d.consumers });
      }
    }
  }

  async publish(queue: string, n: number): Promise<void> {
    const ch = await this.channel();
    await ch.checkQueue(queue);
    for (let i = 0; i < n; i++)
      ch.sendToQueue(queue, Buffer.from(JSON.stringify({ task: `sandbox.load`, seq: i, at: Date.now() })), {
        persistent: true,
        contentType: "application/json",
      });
    await new Promise((r) => setImmediate(r));
  }

  async consume(queue: string, n: number): Promise<number> {
    const ch = await this.channel();
    let got = 0;
    for (; got < n; got++) {
      const m = await ch.get(queue, { noAck: true });
      if (!m) break;
    }
    return got;
  }

  async faultStarted(kind: string, queue: string): Promise<void> {
    await this.apply();
    if (kind === "queue-backlog") await this.publish(queue, 1500);
    if (kind === "dlq-growth") await this.publish(queue, 40);
  }

  async faultHealed(kind: string, queue: string): Promise<void> {
    await this.apply();
    const ch = await this.channel();
    if (kind === "queue-backlog") await ch.purgeQueue(queue);
    if (kind === "dlq-growth") await ch.purgeQueue("q.dlq");
  }

  mgmt(): null {
    return null;
  }

  metrics(): null {
    return null;
  }

  // The Service's ports map to the broker's own listeners: the management API as configured, and the Prometheus
  // plugin on its default port 15692 of the same host.
  upstream(port: "management" | "prometheus"): URL {
    const api = this.api ? new URL(this.api) : null;
    // URL.hostname keeps an IPv6 address's brackets, so it drops into a URL as is.
    const host = api?.hostname ?? new URL(this.url).hostname;
    if (port === "prometheus") return new URL(`http://${host}:15692`);
    if (!api) return new URL(`http://${host}:15672`);
    api.username = "";
    api.password = "";
    return api;
  }

  async close(): Promise<void> {
    await this.busy;
    await this.conn?.close().catch(() => {});
    this.conn = null;
  }
}
