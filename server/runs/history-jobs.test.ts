import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runTestDatabase } from "@/test/run-fixtures";
import { pruneExpiredLogs } from "@/server/runs/prune-logs";
import { recordHealthSnapshots } from "@/server/runs/record-health-snapshots";
import { csvCell, runCsvLine } from "@/server/runs/runs-csv";
import { parseRunFilters } from "@/server/runs/search-runs";
import { startSandbox } from "@/infra/sandbox/index";

let t: Awaited<ReturnType<typeof runTestDatabase>>;
let pool: pg.Pool;
beforeAll(async () => {
  t = await runTestDatabase();
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
});
afterAll(async () => {
  await pool.end();
  await t.drop();
});

async function runWithLines(id: string, finishedDaysAgo: number, lines: number) {
  const finishedAt = new Date(Date.now() - finishedDaysAgo * 86_400_000);
  await t.prisma.run.create({
    data: {
      id,
      clusterId: t.cluster.id,
      pipeline: "verify",
      status: "succeeded",
      requestedBy: "x",
      reason: "y",
      startedAt: finishedAt,
      finishedAt,
      steps: { create: [{ index: 0, key: "k", title: "t", status: "succeeded" }] },
    },
  });
  await pool.query(
    `INSERT INTO "LogLine" ("runId", seq, step, stream, text) SELECT $1, i, 0, 'stdout', 'line ' || i FROM generate_series(1, $2) i`,
    [id, lines],
  );
}

describe("log retention", () => {
  test("lines of runs older than the retention are deleted in batches; newer runs, and every run and step, are kept", async () => {
    await runWithLines("old-run", 100, 2_500);
    await runWithLines("new-run", 10, 300);
    const deleted = await pruneExpiredLogs(pool, 90, { batch: 1_000 });
    expect(deleted).toBe(2_500);
    expect(await t.prisma.logLine.count({ where: { runId: "old-run" } })).toBe(0);
    expect(await t.prisma.logLine.count({ where: { runId: "new-run" } })).toBe(300);
    const old = await t.prisma.run.findUnique({ where: { id: "old-run" }, include: { steps: true } });
    expect(old?.logsPrunedAt).not.toBeNull();
    expect(old?.steps).toHaveLength(1);
    expect(await pruneExpiredLogs(pool, 90)).toBe(0); // already pruned: nothing to do
  });
});

describe("health snapshot of an ended run", () => {
  test("is stored from the real cluster when the run ends, once", async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "snap-"));
    const sb = await startSandbox({ stateDir, provisioned: true, timeScale: 0 });
    try {
      const cluster = await t.prisma.cluster.create({
        data: { name: "snap", kind: "sandbox", config: { name: "snap", kind: "sandbox", stateDir, links: {} } },
      });
      await t.prisma.run.create({
        data: {
          id: "snap-run",
          clusterId: cluster.id,
          pipeline: "verify",
          status: "succeeded",
          requestedBy: "x",
          reason: "y",
          finishedAt: new Date(),
        },
      });
      expect(await recordHealthSnapshots(pool, "snap-run")).toBe(1);
      expect(await recordHealthSnapshots(pool, "snap-run")).toBe(0);
      const snap = await t.prisma.healthSnapshot.findUnique({ where: { runId: "snap-run" } });
      const data = snap!.data as { tiers: { id: string; status: string }[] };
      expect(data.tiers.map((x) => x.id)).toEqual(["1", "2", "3", "4"]);
    } finally {
      await sb.stop();
    }
  });
});

describe("runs CSV and filters", () => {
  test("cells are quoted per RFC 4180 and formula-looking cells are neutralised", () => {
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell("=HYPERLINK(1)")).toBe(`"'=HYPERLINK(1)"`);
    expect(csvCell(null)).toBe('""');
    const line = runCsvLine({
      id: "r1",
      cluster: "c",
      pipeline: "verify",
      status: "failed",
      requestedBy: "a",
      reason: "line1\nline2",
      createdAt: new Date(0),
      startedAt: new Date(0),
      finishedAt: new Date(61_000),
    });
    expect(line).toBe(
      '"r1","c","verify","failed","a","line1\nline2","1970-01-01T00:00:00.000Z","1970-01-01T00:00:00.000Z","1970-01-01T00:01:01.000Z","61"',
    );
  });

  test("every cell is quoted, so a ';'-separated spreadsheet never sees a cell that starts a formula", () => {
    // In a ';' locale an unquoted x;=1+1 became two cells, the second a formula.
    const line = runCsvLine({
      id: "r2",
      cluster: "c",
      pipeline: "verify",
      status: "failed",
      requestedBy: "a",
      reason: "x;=1+1",
      createdAt: new Date(0),
      startedAt: null,
      finishedAt: null,
    });
    const cells = line.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    expect(cells).toHaveLength(1);
    expect(line).toContain('"x;=1+1"');
    expect(csvCell("  =cmd|' /C calc'!A0")).toBe(`"'  =cmd|' /C calc'!A0"`);
  });

  test("an impossible date is named as invalid, not passed on to the query", () => {
    for (const from of ["2026-13-45", "2026-02-30", "2026-00-10"]) {
      const { filters, invalid } = parseRunFilters({ from, to: "2026-02-28" });
      expect(filters.from).toBeUndefined();
      expect(filters.to).toBe("2026-02-28");
      expect(invalid).toEqual([expect.stringMatching(/^from: not a date/)]);
    }
  });

  test("invalid filters in a URL are dropped and named, the valid ones kept", () => {
    const { filters, invalid } = parseRunFilters({
      pipeline: "verify; drop",
      status: "failed",
      from: "yesterday",
      cluster: "growbin-sandbox",
    });
    expect(filters).toMatchObject({ status: "failed", cluster: "growbin-sandbox", sort: "newest" });
    expect(filters.pipeline).toBeUndefined();
    expect(invalid.map((i) => i.split(":")[0]).sort()).toEqual(["from", "pipeline"]);
  });
});
