import { randomBytes } from "node:crypto";
import amqp from "amqplib";
import { afterAll, beforeAll, expect, test } from "vitest";
import { sandboxWithClients, tokenOf, waitFor } from "./test-helpers";

// The local broker from the platform notes; each run uses its own vhost so nothing collides.
const AMQP = "amqp://guest:guest@127.0.0.1:5672";
const MGMT = "http://guest:guest@127.0.0.1:15672";
const BASIC = `Basic ${Buffer.from("guest:guest").toString("base64")}`;
const vhost = `sandbox-test-${randomBytes(4).toString("hex")}`;
let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let conn: amqp.ChannelModel;
let ch: amqp.Channel;
let token: string;

beforeAll(async () => {
  const put = await fetch(`http://127.0.0.1:15672/api/vhosts/${vhost}`, { method: "PUT", headers: { authorization: BASIC } });
  expect(put.status, "RabbitMQ management API on 127.0.0.1:15672 (rabbitmq-plugins enable rabbitmq_management)").toBeLessThan(300);
  sb = await sandboxWithClients({ provisioned: true, amqpUrl: AMQP, rabbitmqApi: MGMT, rabbitmqVhost: vhost });
  token = tokenOf(sb.kubeconfigPath);
  conn = await amqp.connect(`${AMQP}/${vhost}`);
  ch = await conn.createChannel();
});
afterAll(async () => {
  await conn?.close().catch(() => {});
  await sb?.close();
  await fetch(`http://127.0.0.1:15672/api/vhosts/${vhost}`, { method: "DELETE", headers: { authorization: BASIC } });
});

const proxied = async (p: string) => (await fetch(`${sb.url}/api/v1/namespaces/messaging/services/rabbitmq:15672/proxy/api${p}`, { headers: { authorization: `Bearer ${token}` } })).json();

test("provision declares the 4 work queues dead-lettering to q.dlq, plus q.dlq, on the real broker", async () => {
  for (const q of ["q.ai", "q.batch", "q.api", "q.sched", "q.dlq"]) expect((await ch.checkQueue(q)).queue).toBe(q);
  const qs = await waitFor<any[] | null>(async () => {
    const list = await proxied(`/queues/${encodeURIComponent(vhost)}`);
    return Array.isArray(list) && list.length === 5 ? list : null;
  }, "5 queues through the service proxy");
  const ai = qs!.find((q) => q.name === "q.ai");
  expect(ai.arguments).toEqual({ "x-dead-letter-exchange": "", "x-dead-letter-routing-key": "q.dlq" });
  expect(sb.endpoints.rabbitmqManagement).toBe("http://127.0.0.1:15672");
  expect(JSON.stringify(sb.endpoints)).not.toContain("guest");
});

test("load publishes real messages and the depth moves; the workers drain them", async () => {
  const g = (await sb.admin("POST", "/faults", { kind: "consumers-gone" })).body;
  await waitFor(async () => (await ch.checkQueue("q.api")).consumerCount === 0, "workers stopped");
  expect((await sb.admin("POST", "/load", { queue: "q.api", messages: 25 })).body.published).toBe(25);
  await waitFor(async () => (await ch.checkQueue("q.api")).messageCount === 25, "25 messages in q.api");
  await waitFor(async () => (await proxied(`/queues/${encodeURIComponent(vhost)}/q.api`)).messages === 25, "the management API to show 25", 20_000);
  expect((await sb.admin("POST", "/load", { queue: "q.api", messages: 5, consume: true })).body.consumed).toBe(5);
  await sb.admin("POST", "/heal", { id: g.id });
  await waitFor(async () => (await ch.checkQueue("q.api")).consumerCount === 2, "workers back");
  await waitFor(async () => (await ch.checkQueue("q.api")).messageCount === 0, "workers drained q.api", 20_000);
});

test("queue-backlog and dlq-growth move real depths, and heal clears them", async () => {
  const b = (await sb.admin("POST", "/faults", { kind: "queue-backlog", queue: "q.batch" })).body;
  await waitFor(async () => (await ch.checkQueue("q.batch")).messageCount >= 1000, "backlog in q.batch");
  expect((await ch.checkQueue("q.batch")).consumerCount).toBe(0);
  await sb.admin("POST", "/heal", { id: b.id });
  await waitFor(async () => (await ch.checkQueue("q.batch")).messageCount < 10, "q.batch purged");
  const d = (await sb.admin("POST", "/faults", { kind: "dlq-growth", queue: "q.ai" })).body;
  // The workers reject what they take, so the broker dead-letters it into q.dlq.
  await waitFor(async () => (await ch.checkQueue("q.dlq")).messageCount >= 40, "dead letters in q.dlq");
  await sb.admin("POST", "/heal", { id: d.id });
  await waitFor(async () => (await ch.checkQueue("q.dlq")).messageCount === 0, "q.dlq purged");
});

test("teardown deletes the queues it declared", async () => {
  const r = await sb.admin("POST", "/teardown", { phase: "components" });
  expect(r.body).toMatch(/"ok":true/);
  const probe = await conn.createChannel();
  probe.on("error", () => {});
  await expect(probe.checkQueue("q.ai")).rejects.toThrow(/NOT_FOUND/);
  const r2 = await fetch(`${sb.url}/api/v1/namespaces/messaging/services/rabbitmq:15672/proxy/api/queues`, { headers: { authorization: `Bearer ${token}` } });
  expect(r2.status).toBe(404);
});
