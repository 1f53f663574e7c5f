// Records two scrapes of the real rabbitmq_prometheus plugin (127.0.0.1:15692) around a known workload, for the
// parser and rate tests: rabbitmq-detailed-1.prom, then 100 more publishes and 10 basic.get, rabbitmq-detailed-2.prom.
// Then the sandbox's modeled broker, healthy and under each queue fault, as the portal reads it: *-queues.prom.
// Run: node --import tsx server/cluster/sources/__fixtures__/record-rabbitmq.ts   (RabbitMQ with rabbitmq_management and
// rabbitmq_prometheus enabled, guest/guest on localhost).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import amqp from "amqplib";
import { sandboxWithClients, tokenOf, waitFor } from "../../../../infra/sandbox/test-helpers";

const out = path.resolve("server/cluster/sources/__fixtures__");
const BASIC = `Basic ${Buffer.from("guest:guest").toString("base64")}`;
const vhost = `record-${randomBytes(3).toString("hex")}`;
const FAMILIES = "family=queue_coarse_metrics&family=queue_consumer_count&family=channel_queue_metrics&family=channel_queue_exchange_metrics";
const scrape = async () => (await fetch(`http://127.0.0.1:15692/metrics/detailed?vhost=${vhost}&${FAMILIES}`)).text();

async function main(): Promise<void> {
  await fetch(`http://127.0.0.1:15672/api/vhosts/${vhost}`, { method: "PUT", headers: { authorization: BASIC } });
  const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:5672/${vhost}`);
  try {
    const pub = await conn.createChannel();
    await pub.assertQueue("q.ai", { durable: true, arguments: { "x-dead-letter-exchange": "", "x-dead-letter-routing-key": "q.dlq" } });
    await pub.assertQueue("q.dlq", { durable: true });
    // One consumer that takes one message and never acks it: consumers 1, unacked 1.
    const worker = await conn.createChannel();
    await worker.prefetch(1);
    await worker.consume("q.ai", () => {});
    const getter = await conn.createChannel();
    for (let i = 0; i < 50; i++) pub.sendToQueue("q.ai", Buffer.from(`m${i}`), { persistent: true });
    const first = await waitFor(async () => {
      const t = await scrape();
      return t.includes(`rabbitmq_detailed_queue_messages{vhost="${vhost}",queue="q.ai"} 50`) && /queue_messages_published_total\{[^}]*queue="q\.ai"[^}]*\} 50/.test(t) ? t : null;
    }, "50 messages in the first scrape", 30_000);
    fs.writeFileSync(path.join(out, "rabbitmq-detailed-1.prom"), first!);
    for (let i = 0; i < 100; i++) pub.sendToQueue("q.ai", Buffer.from(`n${i}`), { persistent: true });
    for (let i = 0; i < 10; i++) await waitFor(async () => await getter.get("q.ai", { noAck: true }), "a message to get");
    const second = await waitFor(async () => {
      const t = await scrape();
      return t.includes(`rabbitmq_detailed_queue_messages{vhost="${vhost}",queue="q.ai"} 140`) && /channel_get_total\{[^}]*queue="q\.ai"\} 10/.test(t) && /queue_messages_published_total\{[^}]*queue="q\.ai"[^}]*\} 150/.test(t) ? t : null;
    }, "140 messages, 10 gets and 150 publishes in the second scrape", 30_000);
    fs.writeFileSync(path.join(out, "rabbitmq-detailed-2.prom"), second!);
    console.log(`recorded vhost ${vhost}`);
  } finally {
    await conn.close();
    await fetch(`http://127.0.0.1:15672/api/vhosts/${vhost}`, { method: "DELETE", headers: { authorization: BASIC } });
  }
}

// The modeled broker's detailed metrics through the sandbox's service proxy, healthy and under each queue fault.
async function recordModel(): Promise<void> {
  const sb = await sandboxWithClients({ provisioned: true, cluster: "growbin-sandbox" });
  const token = tokenOf(sb.kubeconfigPath);
  const get = async () =>
    (await fetch(`${sb.url}/api/v1/namespaces/messaging/services/rabbitmq:15692/proxy/metrics/detailed?vhost=%2F&${FAMILIES}`, { headers: { authorization: `Bearer ${token}` } })).text();
  const value = (t: string, metric: string, queue: string) => Number(new RegExp(`^rabbitmq_detailed_queue_${metric}\\{vhost="/",queue="${queue.replace(".", "\\.")}"\\} (\\d+)$`, "m").exec(t)?.[1]);
  try {
    fs.writeFileSync(path.join(out, "healthy-queues.prom"), await get());
    const cases: [string, Record<string, string>, (t: string) => boolean][] = [
      ["queue-backlog", { queue: "q.ai" }, (t) => value(t, "messages", "q.ai") >= 1500],
      ["dlq-growth", { queue: "q.ai" }, (t) => value(t, "messages", "q.dlq") === 40],
      ["consumers-gone", {}, (t) => value(t, "consumers", "q.api") === 0],
    ];
    for (const [kind, extra, done] of cases) {
      await sb.admin("POST", "/faults", { kind, ...extra });
      fs.writeFileSync(path.join(out, `${kind}-queues.prom`), (await waitFor(async () => ((t) => (done(t) ? t : null))(await get()), kind))!);
      await sb.admin("POST", "/heal", { all: true });
    }
  } finally {
    await sb.close();
  }
}

void main().then(recordModel);
