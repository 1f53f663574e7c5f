import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import amqp from "amqplib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { collectHealth } from "@/server/cluster/health/collect-health";
import { resolveConnection } from "@/server/cluster/kube/connection";
import { loadKubeConfig } from "@/server/cluster/kube/kubeconfig";
import { listQueues, queueProblems } from "@/server/cluster/sources/rabbitmq";
import {
  parsePrometheusText,
  PrometheusFormatError,
  queuesFromSamples,
} from "@/server/cluster/sources/rabbitmq-prometheus";
import { RateWindow, ratesBetween } from "@/server/cluster/sources/rabbitmq-rates";
import { text } from "@/test/cluster-fixtures";
import { sandboxWithClients, waitFor } from "@/infra/sandbox/test-helpers";

// Queue depths from RabbitMQ's Prometheus endpoint: the parser on the real plugin's recorded text, rates from two
// scrapes, every refusal on the way named, and the reading through the service proxy with the model and the real broker.

const scrape1 = text("rabbitmq-detailed-1.prom");
const scrape2 = text("rabbitmq-detailed-2.prom");
const recordedVhost = /vhost="(record-[0-9a-f]+)"/.exec(scrape1)![1]!;
const read = (t: string) => queuesFromSamples(parsePrometheusText(t), recordedVhost);

describe("the real plugin's text (recorded from RabbitMQ 3.10.8 here)", () => {
  test("depth, ready, unacked and consumers per queue", () => {
    const byName = Object.fromEntries(read(scrape2).queues.map((q) => [q.name, q]));
    expect(byName["q.ai"]).toEqual({
      name: "q.ai",
      vhost: recordedVhost,
      messages: 140,
      ready: 139,
      unacked: 1,
      consumers: 1,
    });
    expect(byName["q.dlq"]).toEqual({
      name: "q.dlq",
      vhost: recordedVhost,
      messages: 0,
      ready: 0,
      unacked: 0,
      consumers: 0,
    });
  });

  test("rates are the counters' increase between two scrapes: 100 publishes and 10 gets over 10 s", () => {
    // Between the recordings 100 messages were published and 10 fetched with basic.get on a channel that
    // appears only in the second scrape (its counters started at 0).
    const rates = ratesBetween(
      { time: 0, counters: read(scrape1).counters },
      { time: 10_000, counters: read(scrape2).counters },
    );
    expect(rates.get(`${recordedVhost}\u0000q.ai`)).toEqual({ publish: 10, deliver: 1 });
  });

  test("a counter that went down was reset by a reopened channel; the first reading has no rate", () => {
    const c = (v: number) => new Map([["s", { queue: "/\u0000q", kind: "publish" as const, value: v }]]);
    expect(ratesBetween({ time: 0, counters: c(500) }, { time: 5000, counters: c(20) }).get("/\u0000q")!.publish).toBe(
      4,
    );
    const w = new RateWindow();
    expect(w.push({ time: 0, counters: c(0) })).toBeNull();
    // Closer than the broker's 5 s stats interval there is nothing to divide yet.
    expect(w.push({ time: 1000, counters: c(5) })).toBeNull();
    expect(w.push({ time: 6000, counters: c(30) })!.get("/\u0000q")!.publish).toBe(5);
    // The broker has not refreshed its tables since (same counters, under 5 s): the same rates, so a re-read
    // reading is byte-identical; once 5 s pass, unchanged counters mean nothing moved.
    expect(w.push({ time: 7000, counters: c(30) })!.get("/\u0000q")!.publish).toBe(5);
    expect(w.push({ time: 12_000, counters: c(30) })!.get("/\u0000q")!.publish).toBe(2.5);
  });

  test("label escapes, timestamps and special values parse; bodies that are not the format are named", () => {
    const s = parsePrometheusText(
      'rabbitmq_x{vhost="a\\"b\\\\c",queue="q\\nz",} 1.5e2 1700000000\nrabbitmq_y NaN\nrabbitmq_z{} +Inf\n',
    );
    expect(s.map((x) => [x.labels, x.value])).toEqual([
      [{ vhost: 'a"b\\c', queue: "q\nz" }, 150],
      [{}, NaN],
      [{}, Infinity],
    ]);
    expect(() => parsePrometheusText("<!doctype html><html><body>Login</body></html>")).toThrow(PrometheusFormatError);
    expect(() => parsePrometheusText('{"kind":"Status","code":200}')).toThrow(
      /line 1 is not in the Prometheus text format/,
    );
    expect(() => queuesFromSamples(parsePrometheusText("go_goroutines 12\n"))).toThrow(
      /not RabbitMQ's Prometheus endpoint/,
    );
  });
});

describe("answers through the proxy that are not metrics", () => {
  let server: http.Server;
  let kubeconfig: string;
  let answer: { status: number; body: string; type?: string } = { status: 200, body: "" };
  const status = (code: number, message: string, reason: string) =>
    JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code });
  beforeAll(async () => {
    server = http.createServer((_req, res) =>
      res.writeHead(answer.status, { "content-type": answer.type ?? "application/json" }).end(answer.body),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rabbitmq-proxy-"));
    kubeconfig = path.join(dir, "kubeconfig");
    const port = (server.address() as AddressInfo).port;
    fs.writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:${port}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\n`,
    );
  });
  afterAll(() => server?.close());
  const reading = () =>
    listQueues(
      { cluster: "c", kubeconfig, writeKubeconfig: kubeconfig, ec2: { region: "x" }, rabbitmq: {} },
      loadKubeConfig(kubeconfig),
      AbortSignal.timeout(2000),
    );

  test.each([
    [
      403,
      status(
        403,
        'services "rabbitmq:15692" is forbidden: User "system:serviceaccount:portal:reader" cannot get resource "services/proxy" in API group "" in the namespace "messaging"',
        "Forbidden",
      ),
      /identity may not read RabbitMQ's metrics \(403\).*needs "get" on services\/proxy named rabbitmq:15692/,
    ],
    [401, status(401, "Unauthorized", "Unauthorized"), /refused the portal's credentials \(401\)/],
    [
      404,
      status(404, 'services "rabbitmq" not found', "NotFound"),
      /services "rabbitmq" not found: RabbitMQ's Service messaging\/rabbitmq does not exist/,
    ],
    [
      503,
      status(503, 'no endpoints available for service "rabbitmq"', "ServiceUnavailable"),
      /not reachable behind its Service \(503\)/,
    ],
    [
      404,
      JSON.stringify({ error: "Object Not Found", reason: "Not Found" }),
      /RabbitMQ answered 404 for \/metrics\/detailed/,
    ],
    [401, "", /requires credentials \(401\), which the service proxy cannot pass/],
  ])("%i %s is named in the error", async (code, body, message) => {
    answer = { status: code, body };
    await expect(reading()).rejects.toThrow(message);
  });

  test("in a health reading the refusal is the rabbitmq panel's error, and the reading still completes", async () => {
    answer = { status: 403, body: status(403, 'services "rabbitmq:15692" is forbidden', "Forbidden") };
    const h = await collectHealth(
      { name: "c", kind: "sandbox", stateDir: path.dirname(kubeconfig), links: {} },
      { connection: { kubeconfig } },
    );
    expect(h.sources.rabbitmq).toMatchObject({ ok: false });
    expect(h.sources.rabbitmq.error).toMatch(/may not read RabbitMQ's metrics \(403\)/);
    expect(h.data.rabbitmq).toBeNull();
  });

  test("a 200 that is not the Prometheus format is an error, not an empty queue list", async () => {
    answer = { status: 200, body: "<html><body>RabbitMQ Management</body></html>", type: "text/html" };
    await expect(reading()).rejects.toThrow(/not in the Prometheus text format/);
  });
});

describe("through the sandbox's service proxy, modeled broker", () => {
  let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
  beforeAll(async () => (sb = await sandboxWithClients({ provisioned: true })));
  afterAll(() => sb?.close());

  test("the 5 queues with their consumers and depths; rates once a second scrape is 5 s older than the first", async () => {
    await sb.admin("POST", "/faults", { kind: "consumers-gone" });
    await sb.admin("POST", "/load", { queue: "q.sched", messages: 40 });
    const conn = resolveConnection({ name: "m", kind: "sandbox", stateDir: sb.stateDir, links: {} });
    const kc = loadKubeConfig(conn.kubeconfig);
    const first = await listQueues(conn, kc, AbortSignal.timeout(4000));
    expect(first.map((q) => q.name)).toEqual(["q.ai", "q.api", "q.batch", "q.dlq", "q.sched"]);
    expect(first.every((q) => q.publishRate === null && q.consumers === 0)).toBe(true);
    expect(first.find((q) => q.name === "q.sched")!.messages).toBeGreaterThanOrEqual(40);
    await sb.admin("POST", "/heal", { all: true });
    const later = await waitFor(
      async () => {
        const qs = await listQueues(conn, kc, AbortSignal.timeout(4000));
        return qs.every((q) => q.publishRate !== null) && qs.find((q) => q.name === "q.ai")!.consumers === 3
          ? qs
          : null;
      },
      "rates and the workers back",
      20_000,
    );
    expect(Object.fromEntries(later!.map((q) => [q.name, q.consumers]))).toEqual({
      "q.ai": 3,
      "q.api": 2,
      "q.batch": 2,
      "q.dlq": 0,
      "q.sched": 2,
    });
  });
});

describe("through the sandbox's service proxy, the real RabbitMQ here", () => {
  const AMQP = "amqp://guest:guest@127.0.0.1:5672";
  const BASIC = `Basic ${Buffer.from("guest:guest").toString("base64")}`;
  const vhost = `portal-test-${randomBytes(4).toString("hex")}`;
  let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
  let conn: amqp.ChannelModel;
  beforeAll(async () => {
    const put = await fetch(`http://127.0.0.1:15672/api/vhosts/${vhost}`, {
      method: "PUT",
      headers: { authorization: BASIC },
    });
    expect(put.status, "RabbitMQ management API on 127.0.0.1:15672").toBeLessThan(300);
    const prom = await fetch("http://127.0.0.1:15692/metrics").catch(() => null);
    expect(
      prom?.status,
      "RabbitMQ's Prometheus plugin on 127.0.0.1:15692 (rabbitmq-plugins enable rabbitmq_prometheus)",
    ).toBe(200);
    sb = await sandboxWithClients({
      provisioned: true,
      amqpUrl: AMQP,
      rabbitmqApi: "http://guest:guest@127.0.0.1:15672",
      rabbitmqVhost: vhost,
    });
    conn = await amqp.connect(`${AMQP}/${encodeURIComponent(vhost)}`);
  });
  afterAll(async () => {
    await conn?.close().catch(() => {});
    await sb?.admin("POST", "/teardown", { phase: "components" });
    await sb?.close();
    await fetch(`http://127.0.0.1:15672/api/vhosts/${vhost}`, { method: "DELETE", headers: { authorization: BASIC } });
  });

  test("a backlog published by hand with amqplib shows with its depth and consumer count", async () => {
    await sb.admin("POST", "/faults", { kind: "consumers-gone" });
    const ch = await conn.createChannel();
    await waitFor(
      async () =>
        (await ch.checkQueue("q.api")).consumerCount === 0 && (await ch.checkQueue("q.ai")).consumerCount === 0,
      "the sandbox's workers stopped",
    );
    for (let i = 0; i < 123; i++) ch.sendToQueue("q.api", Buffer.from(`backlog ${i}`), { persistent: true });
    // Two consumers of our own on q.ai that each hold one message unacknowledged.
    const workers = await conn.createChannel();
    await workers.prefetch(1);
    for (let i = 0; i < 2; i++) await workers.consume("q.ai", () => {});
    for (let i = 0; i < 5; i++) ch.sendToQueue("q.ai", Buffer.from(`task ${i}`));
    const cfg = {
      name: "real",
      kind: "sandbox" as const,
      stateDir: sb.stateDir,
      links: {},
      rabbitmq: { amqpUrl: AMQP, managementUrl: "http://127.0.0.1:15672", vhost },
    };
    const c = resolveConnection(cfg);
    const kc = loadKubeConfig(c.kubeconfig);
    // The plugin's figures lag by the broker's stats interval (5 s): wait for them, never a fixed sleep.
    const qs = await waitFor(
      async () => {
        const list = await listQueues(c, kc, AbortSignal.timeout(4000));
        const api = list.find((q) => q.name === "q.api");
        const ai = list.find((q) => q.name === "q.ai");
        return api?.messages === 123 && ai?.messages === 5 && ai.consumers === 2 && ai.unacked === 2 ? list : null;
      },
      "the portal's reading to show the backlog",
      30_000,
    );
    expect(qs!.find((q) => q.name === "q.api")).toMatchObject({
      vhost,
      messages: 123,
      ready: 123,
      unacked: 0,
      consumers: 0,
    });
    expect(qs!.find((q) => q.name === "q.ai")).toMatchObject({
      vhost,
      messages: 5,
      ready: 3,
      unacked: 2,
      consumers: 2,
    });
    expect(queueProblems(qs!, {}, Date.now()).map((p) => p.message)).toContain(
      "q.api has no consumers (123 messages waiting)",
    );
  });
});
