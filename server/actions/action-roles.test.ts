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
const { refreshAppAction, syncAppAction } = await import("@/server/actions/health-actions");
const { approveRunAction, rejectRunAction } = await import("@/server/actions/approval-actions");

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
type Case = {
  name: string;
  allowed: readonly (typeof ROLES)[number][];
  call: () => Promise<{ ok: boolean; code?: string }>;
};

const cases: Case[] = [
  ...(["rebuild", "provision", "verify"] as const).map((p) => ({
    name: `start ${p}`,
    allowed: ["operator", "admin"] as const,
    call: () => startRunAction({ cluster: "growbin-test", pipeline: p, reason: "matrix", confirm: "growbin-test" }),
  })),
  {
    name: "start teardown",
    allowed: ["admin"],
    call: () =>
      startRunAction({ cluster: "growbin-test", pipeline: "teardown", reason: "matrix", confirm: "growbin-test" }),
  },
  {
    name: "start reset-node",
    allowed: ["admin"],
    call: () =>
      startRunAction({
        cluster: "growbin-test",
        pipeline: "reset-node",
        node: "worker-1",
        reason: "matrix",
        confirm: "growbin-test",
      }),
  },
  {
    name: "cancel",
    allowed: ["operator", "admin"],
    call: () => cancelRunAction({ runId: "cmnosuchrun00000000000000" }),
  },
  { name: "force-kill", allowed: ["admin"], call: () => forceKillRunAction({ runId: "cmnosuchrun00000000000000" }) },
  // The chain lets operators through; the run store then requires a second person with the approver role
  // (server/runs/approval-flow.test.ts): here the run does not exist, so operators and admins get NotFound.
  {
    name: "approve a plan",
    allowed: ["operator", "admin"],
    call: () => approveRunAction({ runId: "cmnosuchrun00000000000000", comment: "matrix" }),
  },
  {
    name: "reject a plan",
    allowed: ["operator", "admin"],
    call: () => rejectRunAction({ runId: "cmnosuchrun00000000000000", comment: "matrix" }),
  },
  {
    name: "argocd refresh",
    allowed: ["operator", "admin"],
    call: () => refreshAppAction({ cluster: "growbin-test", app: "users-service" }),
  },
  {
    name: "argocd sync",
    allowed: ["operator", "admin"],
    call: () => syncAppAction({ cluster: "growbin-test", app: "users-service", prune: false }),
  },
  {
    name: "argocd sync with prune",
    allowed: ["admin"],
    call: () => syncAppAction({ cluster: "growbin-test", app: "users-service", prune: true }),
  },
  { name: "set a role", allowed: ["admin"], call: () => setUserRoleAction({ userId: targetUserId, role: "viewer" }) },
  {
    name: "deactivate a user",
    allowed: ["admin"],
    call: () => setUserActiveAction({ userId: targetUserId, active: false }),
  },
  {
    name: "create a user",
    allowed: ["admin"],
    call: () => createUserAction({ username: `u${Math.random().toString(36).slice(2, 8)}`, role: "viewer" }),
  },
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
          const audit = await t.prisma.auditEvent.findFirst({
            where: { actor: role ? `matrix-${role}` : "anonymous", outcome: "refused" },
            orderBy: { time: "desc" },
          });
          expect(audit).not.toBeNull();
        }
        // Free the cluster for the next case.
        await t.prisma.run.updateMany({
          where: { status: { in: ["queued", "running", "cancelling"] } },
          data: { status: "cancelled" },
        });
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

describe("Argo CD actions stay inside the cluster's configured application namespaces", () => {
  const operator = { id: "id-argo", name: "argo-op", role: "operator" as const, actor: "matrix-argo-ns" };

  test("an Application outside them is refused with a message that names them, audited, before the cluster is touched", async () => {
    session.user = operator;
    for (const call of [
      () => refreshAppAction({ cluster: "growbin-test", app: "kube-proxy", namespace: "kube-system" }),
      () => syncAppAction({ cluster: "growbin-test", app: "kube-proxy", namespace: "kube-system" }),
    ]) {
      const res = await call();
      expect(res).toMatchObject({ ok: false, code: "ForbiddenError" });
      expect(res.ok ? "" : res.message).toContain(
        '"kube-system" is not one of growbin-test\'s Argo CD application namespaces (argocd)',
      );
    }
    const audits = await t.prisma.auditEvent.findMany({
      where: { actor: "matrix-argo-ns", outcome: "refused" },
      orderBy: { time: "asc" },
    });
    expect(audits.map((a) => [a.action, a.target])).toEqual([
      ["argocd.refresh", "growbin-test/kube-system/kube-proxy"],
      ["argocd.sync", "growbin-test/kube-system/kube-proxy@HEAD"],
    ]);
    expect(JSON.stringify(audits[0]!.detail)).toContain("application namespaces");
  });

  test("argocd.appNamespaces widens them: a listed namespace passes the check (and reaches the cluster)", async () => {
    const config = {
      name: "growbin-test",
      kind: "sandbox",
      stateDir: "/tmp/growbin-test-sandbox",
      links: {},
      argocd: { appNamespaces: ["argocd", "team-a"] },
    };
    await t.prisma.cluster.update({ where: { name: "growbin-test" }, data: { config } });
    try {
      session.user = operator;
      const res = await refreshAppAction({ cluster: "growbin-test", app: "web", namespace: "team-a" });
      // This test cluster has no sandbox running: the patch itself fails, but not on the namespace rule.
      expect(res.ok ? "" : res.message).not.toContain("application namespaces");
      expect(res.ok ? null : res.code).not.toBe("ForbiddenError");
      const outside = await refreshAppAction({ cluster: "growbin-test", app: "web", namespace: "team-b" });
      expect(outside.ok ? "" : outside.message).toContain("(argocd, team-a)");
    } finally {
      await t.prisma.cluster.update({
        where: { name: "growbin-test" },
        data: { config: { name: "growbin-test", kind: "sandbox", stateDir: "/tmp/growbin-test-sandbox", links: {} } },
      });
    }
  });

  test("an operator's refused prune says why, and an operator's sync without prune is not refused for its role", async () => {
    session.user = operator;
    const res = await syncAppAction({ cluster: "growbin-test", app: "users-service", prune: true });
    expect(res).toMatchObject({ ok: false, code: "ForbiddenError" });
    expect(res.ok ? "" : res.message).toMatch(/prune .* needs the admin role/);
  });
});
