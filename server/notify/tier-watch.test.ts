import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { throwawayDatabase } from "@/test/throwaway-db";
import type { HealthSnapshot } from "@/server/cluster/health/collect-health";
import type { HealthStatus, SourceName } from "@/server/cluster/health/types";
import { SOURCE_NAMES } from "@/server/cluster/health/types";
import type { ClusterConfig } from "@/server/config/clusters";
import { observeReading } from "@/server/notify/tier-watch";
import { deliverDue } from "@/server/notify/deliver";
import { pruneOutbox } from "@/server/notify/record-events";
import { startReceiver } from "@/server/notify/__fixtures__/receiver";

// Tier changes on the real PostgreSQL, with the health read replaced by chosen tier statuses and the
// clock by chosen times: a change is announced only once it has held for the debounce time.

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
let pool: pg.Pool;
let recv: Awaited<ReturnType<typeof startReceiver>>;
let cluster: { id: string; name: string; config: ClusterConfig };

function snapshot(tier2: HealthStatus, failing: SourceName[] = []): HealthSnapshot {
  const tier = (id: string, status: HealthStatus) => ({
    id,
    title: id === "2" ? "Data plane" : `Tier ${id}`,
    summary: "",
    status,
    unknown: [],
    nodes: [],
    pods: { total: 0, ready: 0 },
    reasons:
      status === "ok"
        ? []
        : [
            {
              type: "node-not-ready",
              severity: "critical" as const,
              source: "nodes" as const,
              message: "Node worker-2 is NotReady",
              hint: "",
            },
          ],
  });
  const sources = Object.fromEntries(
    SOURCE_NAMES.map((s) => [
      s,
      {
        source: s,
        ok: !failing.includes(s),
        error: failing.includes(s) ? "timed out" : null,
        durationMs: 40,
        problems: 0,
      },
    ]),
  );
  return {
    cluster: "growbin-tiers",
    at: "",
    durationMs: 40,
    status: tier2,
    tiers: [tier("1", "ok"), tier("2", tier2)],
    sources,
    problems: [],
    data: {},
  } as unknown as HealthSnapshot;
}

const T0 = Date.parse("2026-01-01T10:00:00Z");
async function observe(status: HealthStatus, atSeconds: number, failing: SourceName[] = []) {
  return observeReading(pool, cluster, snapshot(status, failing), new Date(T0 + atSeconds * 1000));
}

beforeAll(async () => {
  t = await throwawayDatabase();
  pool = new pg.Pool({ connectionString: t.url, max: 3 });
  recv = await startReceiver();
  const config = {
    name: "growbin-tiers",
    kind: "sandbox",
    stateDir: "/tmp/growbin-tiers",
    links: {},
    webhooks: [{ name: "ops", format: "json", url: recv.url("/ok/tiers") }],
  };
  const row = await t.prisma.cluster.create({ data: { name: "growbin-tiers", kind: "sandbox", config } });
  cluster = { id: row.id, name: row.name, config: config as ClusterConfig };
});
afterAll(async () => {
  await recv.close();
  await pool.end();
  await t.drop();
});

describe("tier change notifications", () => {
  test("a tier that flaps back within the debounce time is not announced; one that stays changed is, once", async () => {
    expect(await observe("ok", 0)).toBe(0); // baseline
    expect(await observe("down", 30)).toBe(0);
    expect(await observe("ok", 60)).toBe(0); // flapped back
    expect(await observe("down", 90)).toBe(0);
    expect(await observe("down", 150)).toBe(0); // held 60 s of 120
    expect(await observe("down", 210)).toBe(1); // held 120 s
    expect(await observe("down", 300)).toBe(0); // already announced
    await deliverDue(pool, {
      baseUrl: "https://portal.example.test",
      maxAttempts: 3,
      backoffMs: 10,
      maxBackoffMs: 10,
      timeoutMs: 10_000,
    });
    expect(recv.on("/ok/tiers").map((r) => r.body)).toEqual([
      expect.objectContaining({
        event: "tier.changed",
        cluster: "growbin-tiers",
        url: "https://portal.example.test/c/growbin-tiers/tiers/2",
        text: "Tier 2 (Data plane) on growbin-tiers is down (was ok) since 10:01 UTC: Node worker-2 is NotReady.",
        tier: expect.objectContaining({ tier: "2", status: "down", previous: "ok", since: "2026-01-01T10:01:30.000Z" }),
      }),
    ]);
  });

  test("the recovery is announced too, after it has held", async () => {
    expect(await observe("ok", 400)).toBe(0);
    expect(await observe("ok", 520)).toBe(1);
    const states = await t.prisma.tierState.findMany({ where: { clusterId: cluster.id }, orderBy: { tier: "asc" } });
    expect(states.map((s) => [s.tier, s.status, s.observed])).toEqual([
      ["1", "ok", "ok"],
      ["2", "ok", "ok"],
    ]);
  });

  test("each read counts checks, errors and latency per health source", async () => {
    await observe("ok", 600, ["rabbitmq"]);
    const stats = await t.prisma.healthSourceStat.findMany({
      where: { clusterId: cluster.id, source: { in: ["rabbitmq", "nodes"] } },
      orderBy: { source: "asc" },
    });
    expect(stats.map((s) => [s.source, Number(s.checks), Number(s.errors), s.lastOk, s.lastDurationMs])).toEqual([
      ["nodes", 10, 0, true, 40],
      ["rabbitmq", 10, 1, false, 40],
    ]);
  });

  test("events and their delivery log older than the retention are pruned; recent ones are kept", async () => {
    const old = await t.prisma.notificationEvent.create({
      data: {
        key: "old",
        clusterId: cluster.id,
        event: "tier.changed",
        data: {},
        createdAt: new Date(Date.now() - 40 * 86_400_000),
        deliveries: { create: { clusterId: cluster.id, webhook: "ops", format: "json" } },
      },
    });
    const kept = await t.prisma.notificationEvent.count();
    expect(await pruneOutbox(pool, 30 * 86_400_000)).toBe(1);
    expect(await t.prisma.notificationEvent.count()).toBe(kept - 1);
    expect(await t.prisma.webhookDelivery.count({ where: { eventId: old.id } })).toBe(0);
  });
});
