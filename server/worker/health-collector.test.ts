import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { throwawayDatabase } from "@/test/throwaway-db";
import { sandboxWithClients, waitFor } from "@/infra/sandbox/test-helpers";
import { collectHealth } from "@/server/cluster/health/collect-health";
import { getHealth } from "@/server/cluster/health/get-health";
import { HEALTH_WANTED, readStoredHealth } from "@/server/cluster/health/health-store";
import type { SandboxClusterConfig } from "@/server/config/clusters";
import { setDatabaseUrl } from "@/server/db";
import { notifyHub } from "@/server/db/notify-hub";
import { recordHealthSnapshots } from "@/server/runs/record-health-snapshots";
import { EC2_KEPT_MS, startHealthCollector, type HealthCollector } from "@/server/worker/health-collector";

// The background collector reads a real sandbox into PostgreSQL, and the web's getHealth serves that
// reading: asked for while a page shows the cluster, refreshed first when old, marked stale when no
// worker reads it. Two collectors (two workers) read a cluster once per interval between them.

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let pool: pg.Pool;
let cluster: { id: string; name: string };
const C = "growbin-collect";
let reads = 0;
const running: HealthCollector[] = [];

async function collector(o: { collectMs?: number; idleMs?: number } = {}) {
  const config: SandboxClusterConfig = { name: C, kind: "sandbox", stateDir: sb.stateDir, links: {} };
  const c = await startHealthCollector({
    databaseUrl: t.url,
    prisma: t.prisma,
    collectMs: o.collectMs ?? 60_000,
    idleMs: o.idleMs ?? 3_600_000,
    watch: false,
    collect: async () => {
      reads++;
      return collectHealth(config);
    },
  });
  running.push(c);
  return c;
}
const stopAll = async () => {
  for (const c of running.splice(0)) await c.stop();
};
const row = () =>
  pool
    .query<{ checkedAt: Date; changedAt: Date; digest: string; bytes: number }>(
      `SELECT "checkedAt", "changedAt", digest, octet_length(body) AS bytes FROM "ClusterHealth" WHERE "clusterId" = $1`,
      [cluster.id],
    )
    .then((r) => r.rows[0]);

beforeAll(async () => {
  t = await throwawayDatabase();
  setDatabaseUrl(t.url);
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
  sb = await sandboxWithClients({ provisioned: true, cluster: C });
  cluster = await t.prisma.cluster.create({
    data: { name: C, kind: "sandbox", config: { name: C, kind: "sandbox", stateDir: sb.stateDir, links: {} } },
  });
}, 60_000);
afterAll(async () => {
  await stopAll();
  await notifyHub().close();
  await pool?.end();
  await sb?.close();
  await t?.drop();
});

describe("health collector", () => {
  test("before any reading, the web says no worker has read the cluster (every source unknown)", async () => {
    const h = await getHealth(C);
    expect(h.status).toBe("unknown");
    expect(Object.values(h.sources).every((s) => !s.ok && /no worker has read/.test(s.error!))).toBe(true);
    expect(h.stale).toMatch(/Is a worker running\?/);
  }, 20_000);

  test("a collector stores a reading at start; the web serves it as it was read", async () => {
    reads = 0;
    await collector();
    const stored = (await waitFor(row, "a stored reading"))!;
    expect(reads).toBe(1);
    expect(stored.bytes).toBeGreaterThan(100);
    const h = await readStoredHealth(t.prisma, cluster);
    expect(h!.tiers.map((x) => [x.id, x.status])).toEqual([
      ["1", "ok"],
      ["2", "ok"],
      ["3", "ok"],
      ["4", "ok"],
    ]);
    expect(h!.data.nodes).toHaveLength(4);
    expect(h!.at).toBe(stored.checkedAt.toISOString());
  }, 30_000);

  test("the same cluster read again rewrites only the time of the reading, not the body", async () => {
    const before = (await row())!;
    await pool.query(`SELECT pg_notify($1, $2)`, [HEALTH_WANTED, `${cluster.id}:now`]);
    const after = await waitFor(async () => {
      const r = await row();
      return r!.checkedAt > before.checkedAt ? r : null;
    }, "a second reading");
    expect(after!.digest).toBe(before.digest);
    expect(after!.changedAt).toEqual(before.changedAt);
  }, 30_000);

  test("a change outside the pods (a queue backlog) is re-read without re-reading the pods", async () => {
    const before = (await readStoredHealth(t.prisma, cluster))!;
    const f = (await sb.admin("POST", "/faults", { kind: "queue-backlog", queue: "q.batch" })).body;
    try {
      await pool.query(`SELECT pg_notify($1, $2)`, [HEALTH_WANTED, `${cluster.id}:now`]);
      const after = (await waitFor(async () => {
        const h = await readStoredHealth(t.prisma, cluster);
        return h && h.tiers[2]!.status !== "ok" ? h : null;
      }, "tier 3 shows the backlog"))!;
      expect(after.data.rabbitmq).not.toEqual(before.data.rabbitmq);
      expect(after.data.pods).toBe(before.data.pods); // the same parsed list: not fetched nor parsed again
    } finally {
      await sb.admin("POST", "/heal", { id: f.id });
    }
  }, 30_000);

  test("a fault shows in what the web serves after the next read, and goes after heal", async () => {
    const pod = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=waste-service" }))
      .items[0]!.metadata!.name!;
    const f = (await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod}` })).body;
    await pool.query(`SELECT pg_notify($1, $2)`, [HEALTH_WANTED, `${cluster.id}:now`]);
    const down = (await waitFor(async () => {
      const h = await getHealth(C);
      return h.tiers[1]!.status === "degraded" ? h : null;
    }, "tier 2 degraded"))!;
    expect(down.tiers[1]!.reasons[0]!.message).toContain(`${pod} is in CrashLoopBackOff`);
    expect(down.stale).toBeNull();
    await sb.admin("POST", "/heal", { id: f.id });
    await pool.query(`SELECT pg_notify($1, $2)`, [HEALTH_WANTED, `${cluster.id}:now`]);
    await waitFor(async () => (await getHealth(C)).tiers[1]!.status === "ok", "tier 2 ok again");
  }, 40_000);

  test("a reading older than two intervals is refreshed before the web serves it", async () => {
    await pool.query(`UPDATE "ClusterHealth" SET "checkedAt" = now() - interval '5 minutes' WHERE "clusterId" = $1`, [
      cluster.id,
    ]);
    const h = await getHealth(C);
    expect(Date.now() - Date.parse(h.at)).toBeLessThan(60_000);
    expect(h.stale).toBeNull();
  }, 20_000);

  test("a run's end snapshot is read through the collector, which stores it as the latest reading too", async () => {
    const c = running[0]!;
    const before = (await row())!.checkedAt;
    await t.prisma.run.create({
      data: {
        id: "ended-run",
        clusterId: cluster.id,
        pipeline: "verify",
        status: "succeeded",
        requestedBy: "x",
        reason: "y",
        finishedAt: new Date(),
      },
    });
    expect(await recordHealthSnapshots(pool, "ended-run", (r) => c.readNow(r.clusterId))).toBe(1);
    const snap = await t.prisma.healthSnapshot.findUnique({ where: { runId: "ended-run" } });
    expect((snap!.data as { tiers: { status: string }[] }).tiers.map((x) => x.status)).toEqual([
      "ok",
      "ok",
      "ok",
      "ok",
    ]);
    expect((await row())!.checkedAt.getTime()).toBeGreaterThan(before.getTime());
    await expect(c.readNow("no-such-cluster")).rejects.toThrow("no cluster with id no-such-cluster");
  }, 20_000);

  test("with no collector running, an old reading is served marked stale, saying why", async () => {
    await stopAll();
    await pool.query(`UPDATE "ClusterHealth" SET "checkedAt" = now() - interval '5 minutes' WHERE "clusterId" = $1`, [
      cluster.id,
    ]);
    const h = await getHealth(C);
    expect(h.tiers).toHaveLength(4);
    expect(h.stale).toMatch(/no worker has read the cluster since\. Is a worker running\?/);
  }, 20_000);

  test("a body this portal did not write is reported as unreadable, not served", async () => {
    const saved = (
      await pool.query<{ body: Buffer }>(`SELECT body FROM "ClusterHealth" WHERE "clusterId" = $1`, [cluster.id])
    ).rows[0]!.body;
    await pool.query(`UPDATE "ClusterHealth" SET body = $2, digest = 'tampered' WHERE "clusterId" = $1`, [
      cluster.id,
      Buffer.from("not gzip"),
    ]);
    const h = await getHealth(C);
    expect(h.status).toBe("unknown");
    expect(h.sources.nodes.error).toMatch(/^the stored reading could not be read: /);
    await pool.query(`UPDATE "ClusterHealth" SET body = $2, digest = 'restored' WHERE "clusterId" = $1`, [
      cluster.id,
      saved,
    ]);
  }, 20_000);

  test("two collectors (two workers) read a cluster once per interval between them; a watched one more often", async () => {
    await pool.query(`DELETE FROM "HealthSourceStat"`);
    reads = 0;
    await Promise.all([collector({ collectMs: 700 }), collector({ collectMs: 700 })]);
    await waitFor(() => reads >= 1, "the first reading");
    await new Promise((r) => setTimeout(r, 1_500));
    expect(reads).toBe(1); // nobody watching: the idle interval (1 h) applies
    await pool.query(`SELECT pg_notify($1, $2)`, [HEALTH_WANTED, cluster.id]);
    await waitFor(() => reads >= 4, "reads every collect interval while watched");
    await stopAll();
  }, 30_000);
});

describe("health collector following watches", () => {
  test("a watched cluster's pod change is stored at once from the watch caches, reusing the other sources", async () => {
    await stopAll();
    await pool.query(`DELETE FROM "HealthSourceStat"`); // the interval claims of the collectors before
    const config: SandboxClusterConfig = { name: C, kind: "sandbox", stateDir: sb.stateDir, links: {} };
    const full: number[] = [];
    const fromWatch: { pods: number; reused: boolean }[] = [];
    // A long interval: only the watch can bring the change in time.
    const c = await startHealthCollector({
      databaseUrl: t.url,
      prisma: t.prisma,
      collectMs: 600_000,
      idleMs: 3_600_000,
      watch: true,
      debounceMs: 100,
      collect: async (_row, live) => {
        if (live?.reuse) fromWatch.push({ pods: live.pods.length, reused: true });
        else full.push(live ? live.pods.length : -1);
        return collectHealth(config, { live });
      },
    });
    running.push(c);
    await waitFor(() => full.length >= 1, "the first full reading");
    await pool.query(`SELECT pg_notify($1, $2)`, [HEALTH_WANTED, cluster.id]);
    // Once the watches have listed, a reading is rolled up from their caches.
    await waitFor(() => fromWatch.length >= 1, "a reading from the watch caches");
    const listed = (await sb.core.listPodForAllNamespaces()).items.length;
    expect(fromWatch[0]!.pods).toBe(listed);
    const pod = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=waste-service" }))
      .items[0]!.metadata!.name!;
    const fullBefore = full.length;
    const f = (await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod}` })).body as {
      id: string;
    };
    try {
      const down = (await waitFor(async () => {
        const h = await readStoredHealth(t.prisma, cluster);
        return h && h.tiers[1]!.status !== "ok" ? h : null;
      }, "tier 2 shows the crash loop"))!;
      expect(down.problems.some((p) => p.message.includes(`${pod} is in CrashLoopBackOff`))).toBe(true);
      // The other sources were not queried again: their answers came from the last full reading.
      expect(full.length).toBe(fullBefore);
      expect(down.data.argocd).not.toBeNull();
      expect(down.sources.rabbitmq.ok).toBe(true);
    } finally {
      await sb.admin("POST", "/heal", { id: f.id });
    }
    await waitFor(
      async () => (await readStoredHealth(t.prisma, cluster))?.tiers[1]!.status === "ok",
      "tier 2 ok again from the watch",
    );
    expect(full.length).toBe(fullBefore);
    await stopAll();
  }, 60_000);

  test("while the nodes watch sees no change, full reads keep EC2's recent answer; a node change makes the next one describe the instances again", async () => {
    await stopAll();
    await pool.query(`DELETE FROM "HealthSourceStat"`);
    const config: SandboxClusterConfig = { name: C, kind: "sandbox", stateDir: sb.stateDir, links: {} };
    const full: { live: boolean; kept: readonly string[] }[] = [];
    const c = await startHealthCollector({
      databaseUrl: t.url,
      prisma: t.prisma,
      collectMs: 1_000,
      idleMs: 3_600_000,
      watch: true,
      debounceMs: 100,
      collect: async (_row, live) => {
        if (!live?.reuse) full.push({ live: !!live, kept: live?.keep?.sources ?? [] });
        return collectHealth(config, { live });
      },
    });
    running.push(c);
    await pool.query(`SELECT pg_notify($1, $2)`, [HEALTH_WANTED, cluster.id]);
    // A full read from the watch caches describes the instances; the next ones keep that answer.
    await waitFor(() => full.some((r) => r.live && !r.kept.length), "a full read from the watches that read EC2");
    await waitFor(() => full.some((r) => r.kept.includes("ec2")), "a full read that kept EC2's answer");
    const kept = (await readStoredHealth(t.prisma, cluster))!;
    expect(kept.sources.ec2.ok).toBe(true);
    expect(kept.data.ec2!.length).toBeGreaterThan(0);
    const from = full.length;
    const f = (await sb.admin("POST", "/faults", { kind: "node-notready", node: "worker-2" })).body as { id: string };
    try {
      // The node changed: a full read describes the instances again, well before the kept answer would expire.
      await waitFor(
        () => full.slice(from).some((r) => r.live && !r.kept.length),
        "a full read that read EC2 after the node change",
        EC2_KEPT_MS / 3,
      );
    } finally {
      await sb.admin("POST", "/heal", { id: f.id });
    }
    await stopAll();
  }, 60_000);

  test("a watch change is stored while a full read waits for a slow source, and that read, stored after, is not older", async () => {
    await stopAll();
    await pool.query(`DELETE FROM "HealthSourceStat"`);
    const config: SandboxClusterConfig = { name: C, kind: "sandbox", stateDir: sb.stateDir, links: {} };
    let gate: Promise<void> | null = null;
    let open = () => undefined as void;
    let blocked = 0;
    let fullDone = 0;
    let fromWatch = 0;
    const c = await startHealthCollector({
      databaseUrl: t.url,
      prisma: t.prisma,
      collectMs: 600_000,
      idleMs: 3_600_000,
      watch: true,
      debounceMs: 100,
      collect: async (_row, live) => {
        if (live?.reuse) fromWatch++;
        else if (gate) {
          // A full read whose slowest source has not answered yet.
          blocked++;
          await gate;
        }
        const h = await collectHealth(config, { live });
        if (!live?.reuse) fullDone++;
        return h;
      },
    });
    running.push(c);
    await waitFor(() => fullDone >= 1, "the first full reading");
    await pool.query(`SELECT pg_notify($1, $2)`, [HEALTH_WANTED, cluster.id]);
    await waitFor(() => fromWatch >= 1, "a reading from the watch caches");
    gate = new Promise<void>((r) => (open = r));
    await pool.query(`SELECT pg_notify($1, $2)`, [HEALTH_WANTED, `${cluster.id}:now`]);
    await waitFor(() => blocked === 1, "a full read in flight");
    const pod = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=waste-service" }))
      .items[0]!.metadata!.name!;
    const f = (await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod}` })).body as {
      id: string;
    };
    try {
      await waitFor(
        async () => (await readStoredHealth(t.prisma, cluster))?.tiers[1]!.status !== "ok",
        "the crash loop stored while the full read waits",
      );
      expect(blocked).toBe(1);
      const done = fullDone;
      open();
      await waitFor(() => fullDone > done, "the full read finished");
      await waitFor(
        async () =>
          (
            await pool.query(
              `SELECT 1 FROM "ClusterHealth" WHERE "clusterId" = $1 AND "checkedAt" > now() - interval '1 second'`,
              [cluster.id],
            )
          ).rowCount,
        "its reading stored",
      );
      await new Promise((r) => setTimeout(r, 300));
      const after = (await readStoredHealth(t.prisma, cluster))!;
      expect(after.tiers[1]!.status).not.toBe("ok");
      expect(after.problems.some((p) => p.message.includes(`${pod} is in CrashLoopBackOff`))).toBe(true);
    } finally {
      open();
      gate = null;
      await sb.admin("POST", "/heal", { id: f.id });
    }
    await waitFor(
      async () => (await readStoredHealth(t.prisma, cluster))?.tiers[1]!.status === "ok",
      "tier 2 ok again",
    );
    await stopAll();
  }, 60_000);
});
