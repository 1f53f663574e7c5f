import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Prisma } from "@/server/generated/prisma/client";
import { setDatabaseUrl } from "@/server/db";
import { throwawayDatabase } from "@/test/throwaway-db";
import { runsPageQuery, parseRunFilters, searchRuns } from "@/server/runs/search-runs";

// 100,000 runs and 10,000,000 log lines, then the plans of the list and log queries: they must use
// their indexes (never a sequential scan of Run or LogLine). Plans, not times: the machine is shared.

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
let busyRun = "";

beforeAll(async () => {
  t = await throwawayDatabase();
  setDatabaseUrl(t.url);
  const q = (sql: string) => t.prisma.$executeRawUnsafe(sql);
  await q(
    `INSERT INTO "Cluster" (id, name, kind, config, "updatedAt") SELECT 'c' || i, 'cluster-' || i, 'sandbox', '{}', now() FROM generate_series(1, 4) i`,
  );
  await q(`INSERT INTO "Run" (id, "clusterId", pipeline, status, "requestedBy", reason, "createdAt", "startedAt", "finishedAt")
    SELECT 'run' || lpad(i::text, 7, '0'), 'c' || (1 + i % 4), (ARRAY['rebuild','provision','teardown','verify','reset-node'])[1 + i % 5],
      (ARRAY['succeeded','failed','cancelled','interrupted']::"RunStatus"[])[1 + i % 4], 'user-' || (i % 50), 'reason number ' || i || CASE WHEN i % 1000 = 0 THEN ' new AMI rollout' ELSE '' END,
      timestamp '2026-01-01' + make_interval(mins => i * 3), timestamp '2026-01-01' + make_interval(mins => i * 3, secs => 5), timestamp '2026-01-01' + make_interval(mins => i * 3 + 2)
    FROM generate_series(1, 100000) i`);
  busyRun = "run0099999";
  // 10,000,000 lines: 9,000,000 over 900 runs and 1,000,000 on one run.
  await q(`INSERT INTO "LogLine" ("runId", seq, step, time, stream, text)
    SELECT 'run' || lpad((1 + (i / 10000))::text, 7, '0'), 1 + i % 10000, (i % 10000) / 1000, now(), 'stdout', 'TASK [x] ok: line ' || i FROM generate_series(0, 8999999) i`);
  await q(`INSERT INTO "LogLine" ("runId", seq, step, time, stream, text)
    SELECT '${busyRun}', i, i / 100000, now(), CASE WHEN i % 997 = 0 THEN 'stderr' ELSE 'stdout' END::"LogStream", 'line ' || i FROM generate_series(1, 1000000) i`);
  await q(`ANALYZE "Run"; ANALYZE "LogLine"; ANALYZE "Cluster"`);
}, 600_000);

afterAll(async () => {
  await t.drop();
});

async function plan(sql: Prisma.Sql): Promise<string> {
  const rows = await t.prisma.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql.text}`, ...sql.values);
  return rows.map((r) => r["QUERY PLAN"]).join("\n");
}

describe("at 100,000 runs and 10,000,000 log lines", () => {
  test.each([
    ["the first page", {}],
    ["a cluster", { cluster: "cluster-2" }],
    ["a requester", { by: "user-7" }],
    ["reason text", { q: "AMI rollout" }],
    ["a date range, oldest first", { from: "2026-03-01", to: "2026-03-02", sort: "oldest" }],
    ["a later page", { cursor: Buffer.from("2026-04-01T00:00:00.000Z|run0045000").toString("base64url") }],
  ])("the runs list filtered by %s uses an index, not a scan of Run", async (_name, params) => {
    const { filters } = parseRunFilters(params as Record<string, string>);
    const p = await plan(runsPageQuery(filters, 51));
    expect(p).toMatch(/Index Scan|Index Only Scan|Bitmap Index Scan/);
    expect(p).not.toMatch(/Seq Scan on "Run"/);
  });

  test("keyset pages follow each other with no overlap and no gap", async () => {
    const { filters } = parseRunFilters({ cluster: "cluster-3" });
    const first = await searchRuns(filters, 50);
    const second = await searchRuns({ ...filters, cursor: first.next! }, 50);
    const ids = [...first.rows, ...second.rows].map((r) => r.id);
    expect(new Set(ids).size).toBe(100);
    expect(ids).toEqual([...ids].sort().reverse());
  });

  test.each([
    [
      "the live stream's next lines",
      Prisma.sql`SELECT seq, step, time, stream, text FROM "LogLine" WHERE "runId" = ${"run0099999"} AND seq > ${500000} ORDER BY seq LIMIT 5000`,
    ],
    [
      "one step's download",
      Prisma.sql`SELECT seq, time, stream::text, text FROM "LogLine" WHERE "runId" = ${"run0099999"} AND seq > ${0} AND step = ${3} ORDER BY seq LIMIT 10000`,
    ],
    [
      "a failed step's first error lines",
      Prisma.sql`SELECT seq, text FROM "LogLine" WHERE "runId" = ${"run0099999"} AND step = ${2} AND stream <> 'system' AND (stream = 'stderr' OR text ~* '(error|fatal)') ORDER BY seq LIMIT 5`,
    ],
  ])("the log query for %s uses the (runId, seq) key", async (_name, sql) => {
    const p = await plan(sql);
    expect(p).toMatch(/Index Scan using "LogLine_pkey"/);
    expect(p).not.toMatch(/Seq Scan on "LogLine"/);
  });
});
