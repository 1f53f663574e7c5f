import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
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
  const put = await fetch(`http://127.0.0.1:15672/api/vhosts/${vhost}`, {
    method: "PUT",
    headers: { authorization: BASIC },
  });
  expect(
    put.status,
    "RabbitMQ management API on 127.0.0.1:15672 (rabbitmq-plugins enable rabbitmq_management)",
  ).toBeLessThan(300);
  const prom = await fetch("http://127.0.0.1:15692/metrics").catch(() => null);
  expect(
    prom?.status,
    "RabbitMQ's Prometheus plugin on 127.0.0.1:15692 (rabbitmq-plugins enable rabbitmq_prometheus)",
  ).toBe(200);
  sb = await sandboxWithClients({ provisioned: true, amqpUrl: AMQP, rabbitmqApi: MGMT, rabbitmqVhost: vhost });
  token = tokenOf(sb.kubeconfigPath);
  conn = await amqp.connect(`${AMQP}/${vhost}`);
  ch = await conn.createChannel();
});
afterAll(async () => {
  await conn?.close().catch(() => {});
  // The broker is shared: a run that failed before teardown still removes the user it created.
  const user = sb && defaultUser(sb.stateDir);
  if (user)
    await fetch(`http://127.0.0.1:15672/api/users/${encodeURIComponent(user.username)}`, {
      method: "DELETE",
      headers: { authorization: BASIC },
    });
  await sb?.close();
  await fetch(`http://127.0.0.1:15672/api/vhosts/${vhost}`, { method: "DELETE", headers: { authorization: BASIC } });
});

// The operator's default-user Secret as the sandbox stored it (state.json is written a moment after a change).
function defaultUser(stateDir: string): { username: string; password: string } | null {
  const s = JSON.parse(fs.readFileSync(path.join(stateDir, "state.json"), "utf8"));
  const secret = (s.objects.secrets ?? []).find((x: any) => x.metadata.name === "rabbitmq-default-user");
  const d = (k: string) => Buffer.from(secret.data[k], "base64").toString();
  return secret ? { username: d("username"), password: d("password") } : null;
}
// The management API straight (as a port-forward would reach it), with the default user's credentials.
const direct = async (p: string) => {
  const u = (await waitFor(() => defaultUser(sb.stateDir), "the default-user Secret"))!;
  return (
    await fetch(`http://127.0.0.1:15672/api${p}`, {
      headers: { authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString("base64")}` },
    })
  ).json();
};
const viaProxy = (svc: string, p: string) =>
  fetch(`${sb.url}/api/v1/namespaces/messaging/services/${svc}/proxy${p}`, {
    headers: { authorization: `Bearer ${token}` },
  });

test("provision declares the 4 work queues dead-lettering to q.dlq, plus q.dlq, on the real broker", async () => {
  for (const q of ["q.ai", "q.batch", "q.api", "q.sched", "q.dlq"]) expect((await ch.checkQueue(q)).queue).toBe(q);
  const qs = await waitFor<any[] | null>(async () => {
    const list = await direct(`/queues/${encodeURIComponent(vhost)}`);
    return Array.isArray(list) && list.length === 5 ? list : null;
  }, "5 queues in the management API, read with the default user's credentials");
  const ai = qs!.find((q) => q.name === "q.ai");
  expect(ai.arguments).toEqual({ "x-dead-letter-exchange": "", "x-dead-letter-routing-key": "q.dlq" });
  expect(sb.endpoints.rabbitmqManagement).toBe("http://127.0.0.1:15672");
  expect(JSON.stringify(sb.endpoints)).not.toContain("guest");
});

test("through the service proxy the real management API refuses the caller, and the real Prometheus endpoint answers", async () => {
  const r = await viaProxy("rabbitmq:management", "/api/overview");
  expect(r.status).toBe(401);
  expect(r.headers.get("www-authenticate")).toBe('Basic realm="RabbitMQ Management"');
  const m = await viaProxy(
    "rabbitmq:15692",
    `/metrics/detailed?vhost=${encodeURIComponent(vhost)}&family=queue_coarse_metrics`,
  );
  expect(m.status).toBe(200);
  expect(m.headers.get("content-type")).toBe("text/plain; version=0.0.4");
  expect(await m.text()).toContain(`rabbitmq_detailed_queue_messages{vhost="${vhost}",queue="q.dlq"} 0`);
});

test("the proxy passes the caller's headers to the broker except Authorization", async () => {
  // A stand-in listener records what the "management API" receives; a second sandbox points --rabbitmq-api at it.
  const seen: http.IncomingHttpHeaders[] = [];
  const echo = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((r) => echo.listen(0, "127.0.0.1", () => r()));
  const echoVhost = `${vhost}-echo`;
  await fetch(`http://127.0.0.1:15672/api/vhosts/${echoVhost}`, { method: "PUT", headers: { authorization: BASIC } });
  const other = await sandboxWithClients({
    provisioned: true,
    amqpUrl: AMQP,
    rabbitmqApi: `http://admin:pw@127.0.0.1:${(echo.address() as AddressInfo).port}`,
    rabbitmqVhost: echoVhost,
  });
  try {
    seen.length = 0;
    const r = await fetch(`${other.url}/api/v1/namespaces/messaging/services/rabbitmq:15672/proxy/api/overview?x=1`, {
      headers: {
        authorization: `Bearer ${tokenOf(other.kubeconfigPath)}`,
        accept: "application/json",
        "x-probe": "kept",
      },
    });
    expect(r.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBeUndefined();
    expect(seen[0]!["x-probe"]).toBe("kept");
    expect(seen[0]!.accept).toBe("application/json");
  } finally {
    await other.close();
    echo.close();
    await fetch(`http://127.0.0.1:15672/api/vhosts/${echoVhost}`, {
      method: "DELETE",
      headers: { authorization: BASIC },
    });
  }
});

test("load publishes real messages and the depth moves; the workers drain them", async () => {
  const g = (await sb.admin("POST", "/faults", { kind: "consumers-gone" })).body;
  await waitFor(async () => (await ch.checkQueue("q.api")).consumerCount === 0, "workers stopped");
  expect((await sb.admin("POST", "/load", { queue: "q.api", messages: 25 })).body.published).toBe(25);
  await waitFor(async () => (await ch.checkQueue("q.api")).messageCount === 25, "25 messages in q.api");
  await waitFor(
    async () => (await direct(`/queues/${encodeURIComponent(vhost)}/q.api`)).messages === 25,
    "the management API to show 25",
    20_000,
  );
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

test("teardown deletes the queues it declared, the default user and its Secret", async () => {
  const user = defaultUser(sb.stateDir)!;
  const r = await sb.admin("POST", "/teardown", { phase: "components" });
  expect(r.body).toMatch(/"ok":true/);
  const probe = await conn.createChannel();
  probe.on("error", () => {});
  await expect(probe.checkQueue("q.ai")).rejects.toThrow(/NOT_FOUND/);
  const r2 = await fetch(`${sb.url}/api/v1/namespaces/messaging/services/rabbitmq:15672/proxy/api/queues`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(r2.status).toBe(404);
  expect(
    (
      await fetch(`http://127.0.0.1:15672/api/users/${encodeURIComponent(user.username)}`, {
        headers: { authorization: BASIC },
      })
    ).status,
  ).toBe(404);
  await waitFor(() => defaultUser(sb.stateDir) === null, "the Secret deleted");
});
