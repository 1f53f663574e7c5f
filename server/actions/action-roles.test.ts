import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { runTestDatabase } from "@/test/run-fixtures";
import type { CurrentUser } from "@/server/auth/current-user";

// The session is the one thing faked here: everything after it (role from the chain, handlers,
// database, audit) is the real code against a real database.
const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/server/auth/current-user", () => ({ currentUser: async () => session.user }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { startRunAction, cancelRunAction, forceKillRunAction } = await import("@/server/actions/run-actions");
const { setUserRoleAction, setUserActiveAction, createUserAction } = await import("@/server/actions/user-actions");

let t: Awaited<ReturnType<typeof runTestDatabase>>;
let targetUserId = "";
beforeAll(async () => {
  t = await runTestDatabase();
  targetUserId = (await t.prisma.user.create({ data: { username: "target", role: "viewer" } })).id;
  await t.prisma.user.create({ data: { username: "other-admin", role: "admin" } });
});
afterAll(async () => {
  await t.drop();
});

const ROLES = [null, "viewer", "operator", "admin"] as const;
type Case = { name: string; allowed: readonly (typeof ROLES)[number][]; call: () => Promise<{ ok: boolean; code?: string }> };

const cases: Case[] = [
  ...(["rebuild", "provision", "verify"] as const).map((p) => ({
    name: `start ${p}`,
    allowed: ["operator", "admin"] as const,
    call: () => startRunAction({ cluster: "growbin-test", pipeline: p, reason: "matrix", confirm: "growbin-test" }),
  })),
  { name: "start teardown", allowed: ["admin"], call: () => startRunAction({ cluster: "growbin-test", pipeline: "teardown", reason: "matrix", confirm: "growbin-test" }) },
  { name: "start reset-node", allowed: ["admin"], call: () => startRunAction({ cluster: "growbin-test", pipeline: "reset-node", node: "worker-1", reason: "matrix", confirm: "growbin-test" }) },
  { name: "cancel", allowed: ["operator", "admin"], call: () => cancelRunAction({ runId: "cmnosuchrun00000000000000" }) },
  { name: "force-kill", allowed: ["admin"], call: () => forceKillRunAction({ runId: "cmnosuchrun00000000000000" }) },
  { name: "set a role", allowed: ["admin"], call: () => setUserRoleAction({ userId: targetUserId, role: "viewer" }) },
  { name: "deactivate a user", allowed: ["admin"], call: () => setUserActiveAction({ userId: targetUserId, active: false }) },
  { name: "create a user", allowed: ["admin"], call: () => createUserAction({ username: `u${Math.random().toString(36).slice(2, 8)}`, role: "viewer" }) },
];

describe("every action × every role × no session", () => {
  for (const c of cases) {
    for (const role of ROLES) {
      const allowed = role !== null && c.allowed.includes(role);
      test(`${c.name} as ${role ?? "no session"} is ${allowed ? "let through" : "refused"}`, async () => {
        session.user = role ? { id: `id-${role}`, name: role, role, actor: `matrix-${role}` } : null;
        const runsBefore = await t.prisma.run.count();
        const res = await c.call();
        const authRefusal = !res.ok && (res.code === "ForbiddenError" || res.code === "UnauthenticatedError");
        expect(authRefusal).toBe(!allowed);
        if (!allowed) {
          expect(await t.prisma.run.count()).toBe(runsBefore);
          const audit = await t.prisma.auditEvent.findFirst({ where: { actor: role ? `matrix-${role}` : "anonymous", outcome: "refused" }, orderBy: { time: "desc" } });
          expect(audit).not.toBeNull();
        }
        // Free the cluster for the next case.
        await t.prisma.run.updateMany({ where: { status: { in: ["queued", "running", "cancelling"] } }, data: { status: "cancelled" } });
      });
    }
  }
});

test("a user whose role was lowered in the database is refused at once, whatever the session said", async () => {
  const u = await t.prisma.user.create({ data: { username: "demoted", role: "viewer" } });
  session.user = { id: u.id, name: "demoted", role: "viewer", actor: "demoted" };
  const res = await startRunAction({ cluster: "growbin-test", pipeline: "verify", reason: "should fail" });
  expect(res).toMatchObject({ ok: false, code: "ForbiddenError" });
});

test("invalid input from an allowed user is refused with field errors and audited", async () => {
  session.user = { id: "id-op", name: "op", role: "operator", actor: "matrix-invalid" };
  const res = await startRunAction({ cluster: "growbin-test", pipeline: "verify; rm -rf /", reason: "x" });
  expect(res.ok).toBe(false);
  expect(res.ok ? {} : res.errors).toHaveProperty("pipeline");
  expect(await t.prisma.auditEvent.count({ where: { actor: "matrix-invalid", outcome: "refused" } })).toBe(1);
});
