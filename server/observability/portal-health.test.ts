import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { openEmbeddedPostgres } from "@/server/db/embedded-postgres";
import { applyMigrations } from "@/server/db/schema-engine";
import { createPrisma } from "@/server/db";
import { cachedPortalHealth, checkPortalHealth } from "@/server/observability/portal-health";

// /api/healthz's check against a real PostgreSQL that is then stopped.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "healthz-"));
let server: Awaited<ReturnType<typeof openEmbeddedPostgres>> | null = null;
afterAll(async () => {
  await server?.stop().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function sql(url: string, text: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text, params);
  } finally {
    await c.end();
  }
}

describe("portal health", () => {
  test("ok with a fresh worker heartbeat; 503 reasons for a stale one, for none, and for a stopped database", async () => {
    server = await openEmbeddedPostgres(dir);
    const url = server.url;
    await applyMigrations(url);
    const prisma = createPrisma(url);
    const check = () => checkPortalHealth({ db: prisma, staleAfterMs: 30_000, timeoutMs: 2_000 });

    expect(await check()).toMatchObject({
      status: "failing",
      checks: {
        database: { ok: true },
        worker: { ok: false, detail: expect.stringMatching(/no worker is registered/) },
      },
    });

    await sql(url, `INSERT INTO "Worker" (id, hostname, pid, "heartbeatAt") VALUES ('w1', 'h', 1, now())`);
    expect(await check()).toMatchObject({
      status: "ok",
      checks: { web: { ok: true }, database: { ok: true }, worker: { ok: true } },
    });

    await sql(url, `UPDATE "Worker" SET "heartbeatAt" = now() - interval '5 minutes'`);
    expect(await check()).toMatchObject({
      status: "failing",
      checks: { worker: { ok: false, detail: expect.stringMatching(/heartbeat is 300 s old \(limit 30 s\)/) } },
    });

    await server.stop();
    server = null;
    const down = await check();
    expect(down).toMatchObject({
      status: "failing",
      checks: {
        web: { ok: true },
        database: { ok: false, detail: expect.stringMatching(/^the database is unreachable/) },
        worker: { ok: false },
      },
    });
    expect(JSON.stringify(down)).not.toMatch(/postgres(ql)?:\/\/|password|127\.0\.0\.1/);
    await prisma.$disconnect();
  });

  test("a burst of 40 probes costs one query on the pool: no connection per probe, one answer shared", async () => {
    const limited = await openEmbeddedPostgres(fs.mkdtempSync(path.join(os.tmpdir(), "healthz-burst-")));
    try {
      await applyMigrations(limited.url);
      await sql(limited.url, `INSERT INTO "Worker" (id, hostname, pid, "heartbeatAt") VALUES ('w1', 'h', 1, now())`);
      // A role with five connections in all (limits do not bind superusers): a probe that opened its own
      // connection would be refused here.
      await sql(
        limited.url,
        `CREATE ROLE probe LOGIN PASSWORD 'probe-test-only' CONNECTION LIMIT 5; GRANT SELECT ON "Worker" TO probe`,
      );
      const probeUrl = new URL(limited.url);
      probeUrl.username = "probe";
      probeUrl.password = "probe-test-only";
      const prisma = createPrisma(probeUrl.toString());
      const answers = await Promise.all(
        Array.from({ length: 40 }, () => cachedPortalHealth({ db: prisma, staleAfterMs: 30_000 })),
      );
      expect(answers.every((a) => a.status === "ok")).toBe(true);
      expect(new Set(answers.map((a) => a.checkedAt)).size).toBe(1);
      // Within the cache period the same answer is served again; after it, a new check runs.
      // (Compared as objects: two checks a millisecond apart can share a checkedAt.)
      const again = await cachedPortalHealth({ db: prisma, staleAfterMs: 30_000 });
      expect(again).toBe(answers[0]);
      const later = await cachedPortalHealth({ db: prisma, staleAfterMs: 30_000 }, Date.now() + 10_000);
      expect(later).not.toBe(answers[0]);
      expect(later.status).toBe("ok");
      await prisma.$disconnect();
    } finally {
      await limited.stop();
    }
  });
});
