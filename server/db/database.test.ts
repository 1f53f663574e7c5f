import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, test } from "vitest";
import { openEmbeddedPostgres } from "@/server/db/embedded-postgres";
import { applyMigrations } from "@/server/db/schema-engine";
import { throwawayDatabase } from "@/test/throwaway-db";

const run = promisify(execFile);
const migrations = fs
  .readdirSync(path.resolve("prisma/migrations"))
  .filter((d) => /^\d{14}_/.test(d))
  .sort();

async function query(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

describe("database", () => {
  test("migrations apply to the machine's PostgreSQL and are recorded in _prisma_migrations as prisma migrate deploy does", async () => {
    const t = await throwawayDatabase();
    try {
      const rows = await query(
        t.url,
        `SELECT migration_name, finished_at IS NOT NULL AS done, rolled_back_at FROM _prisma_migrations ORDER BY migration_name`,
      );
      expect(rows).toEqual(migrations.map((m) => ({ migration_name: m, done: true, rolled_back_at: null })));
      expect(await applyMigrations(t.url)).toEqual([]); // idempotent
    } finally {
      await t.drop();
    }
  });

  test("the partial unique index allows one active run per cluster, and any number of finished ones", async () => {
    const t = await throwawayDatabase();
    try {
      const c = await t.prisma.cluster.create({ data: { name: "c1", kind: "sandbox", config: {} } });
      const mk = (status: "queued" | "running" | "succeeded" | "failed") =>
        t.prisma.run.create({ data: { clusterId: c.id, pipeline: "verify", status, requestedBy: "x", reason: "y" } });
      await mk("succeeded");
      await mk("failed");
      await mk("running");
      await expect(mk("queued")).rejects.toThrow();
      await mk("succeeded");
    } finally {
      await t.drop();
    }
  });

  test("the embedded default: a real server in a data folder, migrated, shared by a second process, and kept across restarts", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "embedded-"));
    const first = await openEmbeddedPostgres(dir);
    try {
      expect(first.owned).toBe(true);
      expect(first.url).toMatch(/^postgresql:\/\/portal:[^@]+@127\.0\.0\.1:\d+\/portal$/);
      await applyMigrations(first.url);
      await query(first.url, `INSERT INTO "User" (id, username, role) VALUES ('u1', 'kept', 'admin')`);
      const second = await openEmbeddedPostgres(dir); // another process (web, worker, CLI) joins the same server
      expect(second.owned).toBe(false);
      expect(second.url).toBe(first.url);
      const creds = fs.statSync(path.join(dir, "postgres-credentials.json"));
      expect(creds.mode & 0o077).toBe(0);
      // LISTEN/NOTIFY works as with any server.
      const listener = new pg.Client({ connectionString: first.url });
      await listener.connect();
      const got = new Promise<string | undefined>((r) => listener.on("notification", (n) => r(n.payload)));
      await listener.query("LISTEN t");
      await query(first.url, "NOTIFY t, 'hello'");
      expect(await got).toBe("hello");
      await listener.end();
    } finally {
      await first.stop();
    }
    const again = await openEmbeddedPostgres(dir);
    try {
      expect(await query(again.url, `SELECT username FROM "User"`)).toEqual([{ username: "kept" }]);
    } finally {
      await again.stop();
    }
  });

  test("an unreachable DATABASE_URL stops start-up with one line naming the host and the cause", async () => {
    const err = await run(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/cli/migrate.ts"], {
      env: { ...process.env, DATABASE_URL: "postgresql://nobody@127.0.0.1:1/nothing" },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    const stderr = (err as { stderr: string }).stderr.trim();
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^error: DATABASE_URL: cannot reach PostgreSQL at 127\.0\.0\.1:1: ECONNREFUSED/);
  });

  test("a config file that does not validate stops start-up with one line naming the file, key and problem", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cfg-")), "portal.config.json");
    fs.writeFileSync(file, JSON.stringify({ clusters: [{ name: "prod", kind: "aws", region: "ap-northeast-2" }] }));
    const err = await run(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/cli/start.ts"], {
      env: { ...process.env, PORTAL_CONFIG: file, DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres" },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    expect((err as { stderr: string }).stderr.trim()).toBe(
      `error: ${file}: clusters.0.kubeconfig: Invalid input: expected string, received undefined`,
    );
  });
});
