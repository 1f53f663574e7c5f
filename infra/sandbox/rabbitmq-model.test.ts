import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { checkManagementAuth, DEFAULT_USER_SECRET } from "./rabbitmq-auth";
import { sandboxWithClients, tokenOf, waitFor } from "./test-helpers";

// The modeled broker (no RabbitMQ configured) behind the sandbox's service proxy, held to what the real cluster does.

let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let token: string;

beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true });
  token = tokenOf(sb.kubeconfigPath);
});
afterAll(() => sb?.close());

const proxy = (svc: string, rest: string, headers: Record<string, string> = {}) =>
  fetch(`${sb.url}/api/v1/namespaces/messaging/services/${svc}/proxy${rest}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });

// The Secret as persisted in the sandbox's store (state.json is written a moment after a change).
const storedSecret = (stateDir: string) =>
  waitFor(() => {
    const s = JSON.parse(fs.readFileSync(path.join(stateDir, "state.json"), "utf8"));
    return (s.objects.secrets ?? []).find(
      (x: any) => x.metadata.name === DEFAULT_USER_SECRET && x.metadata.namespace === "messaging",
    );
  }, "the default-user Secret in state.json");
const decode = (v: string) => Buffer.from(v, "base64").toString();

test("the messaging phase writes the operator's default-user Secret with generated credentials, different per sandbox", async () => {
  const s = await storedSecret(sb.stateDir);
  expect(s.type).toBe("Opaque");
  expect(Object.keys(s.data).sort()).toEqual([
    "default_user.conf",
    "host",
    "password",
    "port",
    "provider",
    "type",
    "username",
  ]);
  expect(decode(s.data.host)).toBe("rabbitmq.messaging.svc");
  expect(decode(s.data.port)).toBe("5672");
  expect(decode(s.data.username)).toMatch(/^default_user_[A-Za-z0-9_-]{19}$/);
  expect(decode(s.data.password)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(decode(s.data["default_user.conf"])).toBe(
    `default_user = ${decode(s.data.username)}\ndefault_pass = ${decode(s.data.password)}\n`,
  );
  expect(s.metadata.ownerReferences[0]).toMatchObject({ kind: "RabbitmqCluster", name: "rabbitmq", controller: true });
  const other = await sandboxWithClients({ provisioned: true });
  try {
    expect(decode((await storedSecret(other.stateDir)).data.password)).not.toBe(decode(s.data.password));
  } finally {
    await other.close();
  }
});

test("through the service proxy the management API is refused as RabbitMQ refuses a request without credentials", async () => {
  // The caller's bearer token must not reach the broker: had it been forwarded, RabbitMQ would answer the JSON
  // "not_authorized" body for bad credentials instead of this empty 401.
  const r = await proxy("rabbitmq:15672", "/api/queues");
  expect(r.status).toBe(401);
  expect(r.headers.get("www-authenticate")).toBe('Basic realm="RabbitMQ Management"');
  expect(await r.text()).toBe("");
  expect((await proxy("rabbitmq:management", "/api/overview")).status).toBe(401);
});

test("the management API accepts only the Secret's credentials, with RabbitMQ's body for wrong ones", async () => {
  const s = await storedSecret(sb.stateDir);
  const user = { username: decode(s.data.username), password: decode(s.data.password) };
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;
  expect(checkManagementAuth(basic(user.username, user.password), user)).toBeNull();
  const wrong = checkManagementAuth(basic("guest", "guest"), user)!;
  expect(wrong.status).toBe(401);
  expect(JSON.parse(wrong.body)).toEqual({ error: "not_authorized", reason: "Not_Authorized" });
  expect(checkManagementAuth(`Bearer ${token}`, user)!.status).toBe(401);
});

test("the Prometheus endpoint answers through the proxy in the plugin's format, per queue, with no credentials", async () => {
  await sb.admin("POST", "/faults", { kind: "consumers-gone" });
  await sb.admin("POST", "/load", { queue: "q.api", messages: 25 });
  const q = "?vhost=%2F&family=queue_coarse_metrics&family=queue_consumer_count&family=channel_queue_exchange_metrics";
  const r = await proxy("rabbitmq:15692", `/metrics/detailed${q}`);
  expect(r.status).toBe(200);
  expect(r.headers.get("content-type")).toBe("text/plain; version=0.0.4");
  const body = await r.text();
  expect(body).toContain(
    "# TYPE rabbitmq_detailed_queue_messages_ready gauge\n# HELP rabbitmq_detailed_queue_messages_ready Messages ready to be delivered to consumers\n",
  );
  expect(body).toMatch(/^rabbitmq_detailed_queue_messages\{vhost="\/",queue="q\.api"\} (\d+)$/m);
  expect(
    Number(/^rabbitmq_detailed_queue_messages\{vhost="\/",queue="q\.api"\} (\d+)$/m.exec(body)![1]),
  ).toBeGreaterThanOrEqual(25);
  expect(body).toMatch(/^rabbitmq_detailed_queue_consumers\{vhost="\/",queue="q\.ai"\} 0$/m);
  expect(body).toMatch(
    /^rabbitmq_detailed_queue_messages_published_total\{channel="<0\.\d+\.0>",queue_vhost="\/",queue="q\.api",exchange_vhost="\/",exchange=""\} \d+$/m,
  );
  // Families not asked for are left out, as the plugin does.
  expect(body).not.toContain("rabbitmq_detailed_channel_messages_acked_total");
  const byName = await (await proxy("rabbitmq:prometheus", `/metrics/detailed${q}`)).text();
  expect(byName).toContain('queue="q.api"');
  const agg = await (await proxy("rabbitmq:15692", "/metrics")).text();
  expect(agg).toMatch(/^rabbitmq_queues 5$/m);
  expect(agg).toMatch(/^rabbitmq_queue_messages_ready \d+$/m);
  const per = await (await proxy("rabbitmq:15692", "/metrics/per-object")).text();
  expect(per).toMatch(/^rabbitmq_queue_consumers\{vhost="\/",queue="q\.dlq"\} 0$/m);
  await sb.admin("POST", "/heal", { all: true });
});

test("ports resolve as kube-apiserver resolves them; other paths answer as the plugin does", async () => {
  const none = await proxy("rabbitmq:9999", "/metrics");
  expect(none.status).toBe(503);
  expect((await none.json()).message).toBe('no service port 9999 found for service "rabbitmq"');
  // A multi-port Service needs the port named: the unnamed one does not exist.
  expect((await (await proxy("rabbitmq", "/metrics")).json()).message).toBe(
    'no endpoints available for service "rabbitmq"',
  );
  const nf = await proxy("rabbitmq:15692", "/nothing");
  expect(nf.status).toBe(404);
  expect(await nf.json()).toEqual({ error: "Object Not Found", reason: "Not Found" });
  expect((await proxy("rabbitmq:15692", "/metrics", { accept: "application/json" })).status).toBe(406);
  expect(
    (
      await fetch(`${sb.url}/api/v1/namespaces/messaging/services/rabbitmq:15692/proxy/metrics`, {
        method: "HEAD",
        headers: { authorization: `Bearer ${token}` },
      })
    ).status,
  ).toBe(204);
  expect((await proxy("rabbitmq:5672", "/")).status).toBe(503);
});
