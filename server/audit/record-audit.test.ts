import { afterAll, beforeAll, expect, test } from "vitest";
import { recordAudit } from "@/server/audit/record-audit";
import { pgPool } from "@/server/db/pool";
import { throwawayDatabase } from "@/test/throwaway-db";

// Repeated refusals from one source fold into one row with a count, on the real PostgreSQL.

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
beforeAll(async () => {
  t = await throwawayDatabase();
});
afterAll(() => t?.drop());

const rows = (action: string) => t.prisma.auditEvent.findMany({ where: { action }, orderBy: { id: "asc" } });

test("60 refusals from one expired tab are one row counting 60; other refusals and successes keep their own rows", async () => {
  const refusal = {
    actor: "anonymous",
    action: "health.read",
    outcome: "refused" as const,
    detail: { reason: "no session" },
  };
  await Promise.all(Array.from({ length: 30 }, () => recordAudit(refusal, t.prisma)));
  for (let i = 0; i < 30; i++) await recordAudit(refusal, t.prisma);
  await recordAudit({ ...refusal, detail: { reason: "needs admin" } }, t.prisma);
  await recordAudit({ ...refusal, actor: "bob" }, t.prisma);
  await recordAudit({ actor: "bob", action: "health.read", outcome: "success" }, t.prisma);
  await recordAudit({ actor: "bob", action: "health.read", outcome: "success" }, t.prisma);

  const all = await rows("health.read");
  const counted = all.filter(
    (r) => r.actor === "anonymous" && (r.detail as { reason: string }).reason === "no session",
  );
  expect(counted).toHaveLength(1);
  expect((counted[0]!.detail as { count: number }).count).toBe(60);
  expect((counted.at(-1)!.detail as { lastAt?: string }).lastAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(all.filter((r) => (r.detail as { reason?: string } | null)?.reason === "needs admin")).toHaveLength(1);
  expect(all.filter((r) => r.actor === "bob" && r.outcome === "refused")).toHaveLength(1);
  expect(all.filter((r) => r.outcome === "success")).toHaveLength(2);
});

test("a refusal after the window opens a new row", async () => {
  const refusal = {
    actor: "carol",
    action: "run.start",
    target: "c/rebuild",
    outcome: "refused" as const,
    detail: { reason: "busy" },
  };
  await recordAudit(refusal, t.prisma);
  await t.prisma.$executeRaw`UPDATE "AuditEvent" SET time = now() - interval '5 minutes' WHERE actor = 'carol'`;
  await recordAudit(refusal, t.prisma);
  expect(await rows("run.start")).toHaveLength(2);
});

test("in a transaction the row commits or rolls back with the change it records: a Prisma tx, and a pg client after BEGIN", async () => {
  await t.prisma.$transaction(async (tx) => {
    await recordAudit({ actor: "dave", action: "tx.prisma", target: "kept", outcome: "success" }, tx);
  });
  await t.prisma
    .$transaction(async (tx) => {
      await recordAudit({ actor: "dave", action: "tx.prisma", target: "rolled-back", outcome: "success" }, tx);
      throw new Error("the change failed");
    })
    .catch(() => undefined);
  expect((await rows("tx.prisma")).map((r) => r.target)).toEqual(["kept"]);

  const pool = pgPool(t.url);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await recordAudit(
      { actor: "worker:w1", action: "tx.pg", target: "run-1", outcome: "success", detail: { pipeline: "verify" } },
      client,
    );
    await client.query("ROLLBACK");
    await client.query("BEGIN");
    await recordAudit(
      { actor: "worker:w1", action: "tx.pg", target: "run-2", outcome: "success", detail: { pipeline: "verify" } },
      client,
    );
    await client.query("COMMIT");
  } finally {
    client.release();
  }
  const pg = await rows("tx.pg");
  expect(pg.map((r) => [r.target, r.detail])).toEqual([["run-2", { pipeline: "verify" }]]);
});

test("through a pg pool, repeated refusals fold into one row as through Prisma", async () => {
  const refusal = { actor: "erin", action: "tx.refused", outcome: "refused" as const, detail: { reason: "busy" } };
  await Promise.all(Array.from({ length: 10 }, () => recordAudit(refusal, pgPool(t.url))));
  const all = await rows("tx.refused");
  expect(all).toHaveLength(1);
  expect((all[0]!.detail as { count: number }).count).toBe(10);
});
