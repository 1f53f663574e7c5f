import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { throwawayDatabase } from "@/test/throwaway-db";
import type { HealthSnapshot } from "@/server/cluster/health/collect-health";
import { readStoredHealth, storeHealth, type StoredDigests } from "@/server/cluster/health/health-store";
import type { PodInfo } from "@/server/cluster/sources/pods";

// The stored reading in real PostgreSQL: the web reads the pods (megabytes at 15,000 pods) only for the views that
// show them, and requests that arrive together after a change share one read and parse of them.

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
let pool: pg.Pool;
let cluster: { id: string; name: string };
let digests: StoredDigests | undefined;

const pod = (name: string, status = "Running"): PodInfo => ({
  name,
  namespace: "default",
  node: "worker-1",
  workload: "users-service",
  phase: "Running",
  status,
  ready: 1,
  total: 1,
  podReady: status === "Running",
  restarts: 0,
  lastTermination: null,
  lastRestartAt: null,
  createdAt: null,
  pending: null,
  memoryLimit: null,
  ip: null,
});

function reading(pods: PodInfo[], at: string): HealthSnapshot {
  const src = (s: string) => ({ source: s, ok: true, error: null, durationMs: 1, problems: 0 });
  return {
    cluster: "growbin-store",
    at,
    durationMs: 5,
    status: "ok",
    tiers: [
      {
        id: "2",
        title: "Apps",
        summary: "",
        status: "ok",
        reasons: [],
        unknown: [],
        nodes: [{ name: "worker-1", ready: true }],
        pods: { total: pods.length, ready: pods.length },
      },
    ],
    sources: { nodes: src("nodes"), pods: src("pods") } as unknown as HealthSnapshot["sources"],
    problems: [],
    data: { nodes: [{ name: "worker-1" }], pods } as unknown as HealthSnapshot["data"],
  } as HealthSnapshot;
}

beforeAll(async () => {
  t = await throwawayDatabase();
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
  cluster = await t.prisma.cluster.create({
    data: { name: "growbin-store", kind: "sandbox", config: { name: "growbin-store", kind: "sandbox", links: {} } },
  });
}, 60_000);
afterAll(async () => {
  await pool?.end();
  await t?.drop();
});

describe("stored health reading", () => {
  test("without pods, a read leaves them out (null) and keeps the rest of the reading", async () => {
    digests = await storeHealth(pool, cluster.id, reading([pod("a"), pod("b")], "2026-11-30T15:00:00.000Z"), digests);
    const h = (await readStoredHealth(t.prisma, cluster, { pods: false }))!;
    expect(h.data.pods).toBeNull();
    expect(h.data.nodes).toEqual([{ name: "worker-1" }]);
    expect(h.tiers[0]!.pods).toEqual({ total: 2, ready: 2 });
    expect(h.at).toBe("2026-11-30T15:00:00.000Z");
    // Then a read with pods parses them.
    const full = (await readStoredHealth(t.prisma, cluster))!;
    expect(full.data.pods!.map((p) => p.name)).toEqual(["a", "b"]);
  });

  test("requests that arrive together after a change share one parse of the pods", async () => {
    digests = await storeHealth(
      pool,
      cluster.id,
      reading([pod("a"), pod("b", "CrashLoopBackOff"), pod("c")], "2026-11-30T15:00:05.000Z"),
      digests,
    );
    const [x, y, z] = await Promise.all([
      readStoredHealth(t.prisma, cluster),
      readStoredHealth(t.prisma, cluster),
      readStoredHealth(t.prisma, cluster),
    ]);
    expect(x!.data.pods!.map((p) => p.status)).toEqual(["Running", "CrashLoopBackOff", "Running"]);
    // The same parsed list, not three copies of it.
    expect(y!.data.pods).toBe(x!.data.pods);
    expect(z!.data.pods).toBe(x!.data.pods);
  });

  test("pods changed while only pods-less reads ran: the next read with pods has the new ones, not a held old copy", async () => {
    digests = await storeHealth(pool, cluster.id, reading([pod("d")], "2026-11-30T15:00:10.000Z"), digests);
    expect((await readStoredHealth(t.prisma, cluster, { pods: false }))!.data.pods).toBeNull();
    const full = (await readStoredHealth(t.prisma, cluster))!;
    expect(full.data.pods!.map((p) => p.name)).toEqual(["d"]);
    expect(full.at).toBe("2026-11-30T15:00:10.000Z");
  });
});

describe("stored pods", () => {
  test("a large list is stored as exactly its JSON (digest and gzipped body), read back equal", async () => {
    const many = Array.from({ length: 1_234 }, (_, i) => pod(`p-${i}`, i % 97 ? "Running" : "CrashLoopBackOff"));
    digests = await storeHealth(pool, cluster.id, reading(many, "2026-11-30T15:00:20.000Z"), digests);
    const { createHash } = await import("node:crypto");
    expect(digests!.pods).toBe(createHash("sha256").update(JSON.stringify(many)).digest("hex"));
    const row = (
      await pool.query<{ pods: Buffer }>(`SELECT pods FROM "ClusterHealth" WHERE "clusterId" = $1`, [cluster.id])
    ).rows[0]!;
    const { gunzipSync } = await import("node:zlib");
    expect(gunzipSync(row.pods).toString("utf8")).toBe(JSON.stringify(many));
    expect((await readStoredHealth(t.prisma, cluster))!.data.pods).toEqual(many);
  });
});
