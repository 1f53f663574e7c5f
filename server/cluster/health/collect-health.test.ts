import { randomBytes } from "node:crypto";
import amqp from "amqplib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { collectHealth } from "@/server/cluster/health/collect-health";
import type { SandboxClusterConfig } from "@/server/config/clusters";
import { sandboxWithClients, waitFor } from "@/infra/sandbox/test-helpers";

// The sources read a real in-process sandbox through the real clients (kubeconfig, EC2 SDK).

let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let config: SandboxClusterConfig;
beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true, cluster: "growbin-sandbox" });
  config = { name: "growbin-sandbox", kind: "sandbox", stateDir: sb.stateDir, links: {} };
});
afterAll(() => sb?.close());

describe("health of a real sandbox", () => {
  test("every source answers and every tier is ok on a provisioned sandbox", async () => {
    const h = await collectHealth(config);
    expect(Object.values(h.sources).filter((s) => !s.ok)).toEqual([]);
    expect(h.tiers.map((t) => [t.id, t.status])).toEqual([
      ["1", "ok"],
      ["2", "ok"],
      ["3", "ok"],
      ["4", "ok"],
    ]);
    expect(h.data.ec2).toHaveLength(4);
    expect(h.data.rabbitmq!.map((q) => q.name)).toEqual(["q.ai", "q.api", "q.batch", "q.dlq", "q.sched"]);
    expect(h.data.argocd).toHaveLength(6);
  });

  test("an injected crash loop shows on tier 2 with its reason, and heals", async () => {
    const pod = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=waste-service" }))
      .items[0]!.metadata!.name!;
    const f = (await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod}` })).body;
    const h = await collectHealth(config);
    expect(h.tiers[1]!.status).toBe("degraded");
    expect(h.tiers[1]!.reasons[0]!.message).toContain(`${pod} is in CrashLoopBackOff`);
    await sb.admin("POST", "/heal", { id: f.id });
    expect((await collectHealth(config)).tiers[1]!.status).toBe("ok");
  });

  test("with the EC2 endpoint down, EC2 is unknown with its error and the other sources still answer", async () => {
    const h = await collectHealth(config, {
      connection: {
        ec2: {
          region: "ap-northeast-2",
          endpoint: "http://127.0.0.1:1/ec2",
          credentials: { accessKeyId: "AKIAX", secretAccessKey: "x" },
        },
      },
    });
    expect(h.sources.ec2.ok).toBe(false);
    expect(h.sources.ec2.error).toMatch(/ECONNREFUSED|connect/);
    expect(Object.values(h.sources).filter((s) => s.ok).length).toBe(7);
    expect(h.tiers.every((t) => t.status === "ok")).toBe(true);
  });

  test("with a wrong RabbitMQ URL, RabbitMQ and tier 3 are unknown and the rest is ok", async () => {
    const h = await collectHealth(config, { connection: { rabbitmq: { url: "http://127.0.0.1:1" } } });
    expect(h.sources.rabbitmq).toMatchObject({ ok: false });
    expect(h.sources.rabbitmq.error).toMatch(/fetch failed/);
    expect(h.tiers.map((t) => t.status)).toEqual(["ok", "ok", "unknown", "ok"]);
    expect(h.tiers[2]!.unknown[0]!.source).toBe("rabbitmq");
  });

  test("a source slower than its timeout is cut off at its own deadline, not the page's", async () => {
    const h = await collectHealth(config, { timeouts: { pods: 1 } });
    expect(h.sources.pods.error).toBe("timed out after 1 ms");
    expect(h.sources.nodes.ok).toBe(true);
  });

  test("a missing kubeconfig fails the Kubernetes sources with a readable error, EC2 still answers", async () => {
    const h = await collectHealth(config, { connection: { kubeconfig: "/nonexistent/kubeconfig" } });
    expect(h.sources.nodes.error).toMatch(/cannot read kubeconfig/);
    expect(h.sources.ec2.ok).toBe(true);
    expect(h.tiers.every((t) => t.status === "unknown")).toBe(true);
  });
});

describe("queues with the real local RabbitMQ", () => {
  const AMQP = "amqp://guest:guest@127.0.0.1:5672";
  const BASIC = `Basic ${Buffer.from("guest:guest").toString("base64")}`;
  const vhost = `health-test-${randomBytes(4).toString("hex")}`;
  let rsb: Awaited<ReturnType<typeof sandboxWithClients>>;
  let conn: amqp.ChannelModel;
  beforeAll(async () => {
    const put = await fetch(`http://127.0.0.1:15672/api/vhosts/${vhost}`, {
      method: "PUT",
      headers: { authorization: BASIC },
    });
    expect(put.status, "RabbitMQ management API on 127.0.0.1:15672").toBeLessThan(300);
    rsb = await sandboxWithClients({
      provisioned: true,
      amqpUrl: AMQP,
      rabbitmqApi: "http://guest:guest@127.0.0.1:15672",
      rabbitmqVhost: vhost,
    });
    conn = await amqp.connect(`${AMQP}/${encodeURIComponent(vhost)}`);
  });
  afterAll(async () => {
    await conn?.close().catch(() => {});
    await rsb?.close();
    await fetch(`http://127.0.0.1:15672/api/vhosts/${vhost}`, { method: "DELETE", headers: { authorization: BASIC } });
  });

  test("publishing N messages to q.ai shows depth N through the RabbitMQ source", async () => {
    const cfg: SandboxClusterConfig = {
      name: "growbin-sandbox",
      kind: "sandbox",
      stateDir: rsb.stateDir,
      links: {},
      rabbitmq: { amqpUrl: AMQP, managementUrl: "http://127.0.0.1:15672", vhost },
    };
    await rsb.admin("POST", "/faults", { kind: "consumers-gone" });
    const ch = await conn.createChannel();
    await waitFor(async () => (await ch.checkQueue("q.ai")).consumerCount === 0, "q.ai consumers stopped");
    const N = 37;
    for (let i = 0; i < N; i++) ch.sendToQueue("q.ai", Buffer.from(`m${i}`));
    await waitFor(async () => (await ch.checkQueue("q.ai")).messageCount === N, "broker holds N");
    const q = await waitFor(
      async () => {
        const h = await collectHealth(cfg);
        const ai = h.data.rabbitmq?.find((x) => x.name === "q.ai");
        return ai?.messages === N ? { ai, h } : null;
      },
      "the RabbitMQ source to show depth N",
      20_000,
    );
    expect(q!.ai).toMatchObject({ messages: N, consumers: 0, vhost });
    expect(q!.h.tiers[2]!.reasons.map((r) => r.message)).toContain(`q.ai has no consumers (${N} messages waiting)`);
  });
});
