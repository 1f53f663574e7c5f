import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { setDatabaseUrl } from "@/server/db";
import { throwawayDatabase } from "@/test/throwaway-db";
import type { CurrentUser } from "@/server/auth/current-user";

// Admin changes on the real PostgreSQL, in real concurrent transactions.

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/server/auth/current-user", () => ({ currentUser: async () => session.user }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
const { setUserActive, setUserRole } = await import("@/server/users/manage-users");
const { setUserRoleAction } = await import("@/server/actions/user-actions");

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
beforeAll(async () => {
  t = await throwawayDatabase();
  setDatabaseUrl(t.url);
  await t.prisma.user.createMany({
    data: [
      { id: "a", username: "ann", role: "admin" },
      { id: "b", username: "bo", role: "admin" },
      { id: "v", username: "vic", role: "viewer" },
    ],
  });
});
afterAll(() => t?.drop());

const admins = () => t.prisma.user.count({ where: { role: "admin", deactivatedAt: null } });
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "done",
    (e: Error) => e.message,
  );

test("two admins demoting each other at the same moment, 20 rounds: one change wins, never zero admins", async () => {
  for (let round = 0; round < 20; round++) {
    const results = await Promise.all([
      outcome(setUserRole({ userId: "a", role: "viewer" })),
      outcome(setUserRole({ userId: "b", role: "operator" })),
    ]);
    expect(await admins(), `round ${round}: ${results.join(" / ")}`).toBe(1);
    expect(results.filter((r) => r === "done")).toHaveLength(1);
    expect(results.find((r) => r !== "done")).toMatch(/last admin/);
    await t.prisma.user.updateMany({ where: { id: { in: ["a", "b"] } }, data: { role: "admin" } });
  }
});

test("a demotion and a deactivation of the other admin at the same moment also leave one admin", async () => {
  for (let round = 0; round < 10; round++) {
    await Promise.all([
      outcome(setUserRole({ userId: "a", role: "viewer" })),
      outcome(setUserActive({ userId: "b", active: false })),
    ]);
    expect(await admins()).toBe(1);
    await t.prisma.user.updateMany({ where: { id: { in: ["a", "b"] } }, data: { role: "admin", deactivatedAt: null } });
  }
});

test("a role change on the web is audited with the user and the role it changed from and to", async () => {
  session.user = { id: "a", name: "ann", role: "admin", actor: "ann" };
  const res = await setUserRoleAction({ userId: "v", role: "operator" });
  expect(res.ok).toBe(true);
  const audit = await t.prisma.auditEvent.findFirst({
    where: { action: "user.set-role", outcome: "success" },
    orderBy: { id: "desc" },
  });
  expect(audit).toMatchObject({ actor: "ann", target: "v", detail: { user: "vic", from: "viewer", to: "operator" } });
});
