import { afterAll, beforeAll, expect, test } from "vitest";
import { setDatabaseUrl } from "@/server/db";
import { throwawayDatabase } from "@/test/throwaway-db";
import { bumpSessionVersion, checkSession, ORG_RECHECK_MS, SESSION_ABSOLUTE_MS } from "@/server/auth/session-check";
import { orgMembership, type Membership } from "@/server/auth/org-membership";
import { setUserActive, setUserRole } from "@/server/users/manage-users";

// Sessions on the real PostgreSQL: a token stands only while its version matches the user's, the user is
// active, its absolute lifetime has not passed and (for GitHub users) the org still lists them.

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
const now = Date.now();

beforeAll(async () => {
  process.env.AUTH_GITHUB_ORG = "growbin";
  t = await throwawayDatabase();
  setDatabaseUrl(t.url);
  await t.prisma.user.create({ data: { id: "u-admin", username: "root-admin", role: "admin" } });
});
afterAll(() => t?.drop());

async function user(id: string) {
  await t.prisma.user.create({ data: { id, username: id, role: "operator" } });
  return { sub: id, sv: 0, authAt: now };
}

test("a token of the current version stands; after a bump (sign-out) it is refused", async () => {
  const claims = await user("u1");
  expect(await checkSession(claims)).toEqual({ ok: true });
  await bumpSessionVersion("u1");
  expect(await checkSession(claims)).toEqual({ ok: false, reason: "session revoked" });
});

test("a role change and a deactivation each end the user's sessions; reactivation does not revive them", async () => {
  const claims = await user("u2");
  await setUserRole({ userId: "u2", role: "viewer" });
  expect(await checkSession(claims)).toMatchObject({ ok: false });
  const fresh = { ...claims, sv: 1 };
  expect(await checkSession(fresh)).toEqual({ ok: true });
  await setUserActive({ userId: "u2", active: false });
  expect(await checkSession(fresh)).toEqual({ ok: false, reason: "user deactivated" });
  await setUserActive({ userId: "u2", active: true });
  expect(await checkSession(fresh)).toEqual({ ok: false, reason: "session revoked" });
});

test("however often it is used, a session ends its fixed lifetime after sign-in", async () => {
  const claims = await user("u3");
  expect(await checkSession(claims, { now: now + SESSION_ABSOLUTE_MS - 1000 })).toEqual({ ok: true });
  expect(await checkSession(claims, { now: now + SESSION_ABSOLUTE_MS + 1 })).toEqual({
    ok: false,
    reason: "session lifetime over",
  });
  expect(await checkSession({ sub: "u3" })).toMatchObject({ ok: false });
});

test("a GitHub user removed from the org loses access at the next check, and every session of theirs ends", async () => {
  const claims = { ...(await user("u4")), gh: "gho_token" };
  let answer: Membership = "active";
  let asked = 0;
  const membership = async () => (asked++, answer);
  expect(await checkSession(claims, { membership })).toEqual({ ok: true });
  expect(asked).toBe(1);
  // Confirmed recently: GitHub is not asked on every request.
  expect(await checkSession(claims, { membership })).toEqual({ ok: true });
  expect(asked).toBe(1);
  answer = "not-member";
  expect(await checkSession(claims, { membership, now: now + 2 * ORG_RECHECK_MS })).toEqual({
    ok: false,
    reason: "not an org member",
  });
  expect((await t.prisma.user.findUniqueOrThrow({ where: { id: "u4" } })).sessionVersion).toBe(1);
  expect(await t.prisma.auditEvent.count({ where: { action: "auth.session.revoked", target: "u4" } })).toBe(1);
});

test("when GitHub cannot be asked, a recent membership stands for a grace period, then the session ends", async () => {
  const claims = { ...(await user("u5")), gh: "gho_token" };
  await t.prisma.user.update({ where: { id: "u5" }, data: { orgCheckedAt: new Date(now) } });
  const membership = async (): Promise<Membership> => "unknown";
  expect(await checkSession(claims, { membership, now: now + ORG_RECHECK_MS + 1 })).toEqual({ ok: true });
  expect(await checkSession(claims, { membership, now: now + 2 * 60 * 60_000 })).toMatchObject({ ok: false });
});

test("GitHub's membership answers map to member, not a member, and unknown", async () => {
  const answer = (status: number, body?: unknown) =>
    (async () => new Response(body === undefined ? null : JSON.stringify(body), { status })) as unknown as typeof fetch;
  expect(await orgMembership("growbin", "t", answer(200, { state: "active" }))).toBe("active");
  expect(await orgMembership("growbin", "t", answer(200, { state: "pending" }))).toBe("not-member");
  expect(await orgMembership("growbin", "t", answer(404, { message: "Not Found" }))).toBe("not-member");
  expect(await orgMembership("growbin", "t", answer(401))).toBe("not-member");
  expect(await orgMembership("growbin", "t", answer(502))).toBe("unknown");
  expect(
    await orgMembership("growbin", "t", (async () =>
      Promise.reject(new Error("ECONNRESET"))) as unknown as typeof fetch),
  ).toBe("unknown");
});

test("the last active admin cannot be deactivated", async () => {
  await expect(setUserActive({ userId: "u-admin", active: false })).rejects.toThrow(/last active admin/);
});
