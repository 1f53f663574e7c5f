import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { setDatabaseUrl } from "@/server/db";
import { throwawayDatabase } from "@/test/throwaway-db";
import { backoffMs, clientAddress, FREE_FAILURES } from "@/server/auth/sign-in-throttle";
import type * as Password from "@/server/auth/password";

// Local sign-in on the real PostgreSQL: throttled per user and per address with backoff, refused the same
// way in every case, and an unknown user costs one scrypt check like a known one.

const checked: string[] = [];
vi.mock("@/server/auth/password", async (orig) => {
  const real = await orig<typeof Password>();
  return { ...real, verifyPassword: (pw: string, hash: string) => (checked.push(hash), real.verifyPassword(pw, hash)) };
});
const { hashPassword } = await import("@/server/auth/password");
const { verifyLocalSignIn } = await import("@/server/auth/verify-local-sign-in");

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
const from = (addr: string) => new Headers({ "x-forwarded-for": addr });

beforeAll(async () => {
  t = await throwawayDatabase();
  setDatabaseUrl(t.url);
  for (const u of ["alice", "bob", "carol"])
    await t.prisma.user.create({
      data: { username: u, role: "operator", passwordHash: await hashPassword(`${u}-right-password`) },
    });
});
afterAll(() => t?.drop());

test("an unknown user is checked against a dummy hash with the same scrypt parameters as a real one", async () => {
  checked.length = 0;
  expect(await verifyLocalSignIn("nobody-here", "whatever", from("10.0.0.1"))).toBeNull();
  expect(await verifyLocalSignIn("alice", "wrong", from("10.0.0.1"))).toBeNull();
  expect(checked).toHaveLength(2);
  const params = (h: string) => h.split("$").slice(0, 4).join("$");
  expect(params(checked[0]!)).toBe(params(checked[1]!));
  expect(checked[0]).toMatch(/^scrypt\$16384\$8\$1\$/);
});

test("after a burst of wrong passwords the right one is refused too, and the burst is audited with its count", async () => {
  for (let i = 0; i < 12; i++) expect(await verifyLocalSignIn("bob", `guess-${i}`, from("10.0.0.2"))).toBeNull();
  expect(await verifyLocalSignIn("bob", "bob-right-password", from("10.0.0.2"))).toBeNull();
  // The user is throttled, not the address alone: another address is refused as well.
  expect(await verifyLocalSignIn("bob", "bob-right-password", from("10.0.0.3"))).toBeNull();
  const row = await t.prisma.signInThrottle.findUniqueOrThrow({ where: { key: "user:bob" } });
  expect(row.failures).toBe(14);
  expect(row.blockedUntil!.getTime()).toBeGreaterThan(Date.now());
  const audits = await t.prisma.auditEvent.findMany({
    where: { action: "auth.sign-in.throttled", target: "user:bob" },
    orderBy: { id: "asc" },
  });
  // One row when throttling starts and one each time the count past the allowance doubles: 6, 7, 9, 13.
  expect(audits.map((a) => (a.detail as { failures: number }).failures)).toEqual([6, 7, 9, 13]);
  // Attempts while throttled are not written row by row.
  // Identical refusals from one source are one audit row with a count (server/audit/record-audit.ts).
  const refusals = await t.prisma.auditEvent.findMany({
    where: { action: "auth.sign-in", actor: "local:bob", outcome: "refused" },
  });
  const counted = refusals.reduce((n, a) => n + ((a.detail as { count?: number } | null)?.count ?? 1), 0);
  expect(counted).toBe(FREE_FAILURES.user + 1); // the last one before the block, and the one that started it
});

test("once the block has passed, the right password signs in and clears the user's count", async () => {
  await t.prisma.signInThrottle.update({
    where: { key: "user:bob" },
    data: { blockedUntil: new Date(Date.now() - 1) },
  });
  expect(await verifyLocalSignIn("bob", "bob-right-password", from("10.0.0.4"))).toMatchObject({ name: "bob" });
  expect(await t.prisma.signInThrottle.findUnique({ where: { key: "user:bob" } })).toBeNull();
});

test("one address spraying many usernames is throttled, also for a real account; other addresses are not", async () => {
  for (let i = 0; i < FREE_FAILURES.addr + 1; i++)
    await verifyLocalSignIn(`spray-${i}`, "password1", from("203.0.113.9"));
  expect(await verifyLocalSignIn("carol", "carol-right-password", from("203.0.113.9"))).toBeNull();
  expect(await verifyLocalSignIn("carol", "carol-right-password", from("203.0.113.10"))).toMatchObject({
    name: "carol",
  });
  expect(
    await t.prisma.auditEvent.count({ where: { action: "auth.sign-in.throttled", target: "addr:203.0.113.9" } }),
  ).toBeGreaterThan(0);
});

test("backoff doubles past the allowance and is capped; the client address is the last forwarded hop", () => {
  expect([5, 6, 7, 8].map((n) => backoffMs(n, 5))).toEqual([0, 1000, 2000, 4000]);
  expect(backoffMs(500, 5)).toBe(15 * 60_000);
  expect(clientAddress(new Headers({ "x-forwarded-for": "1.2.3.4, 10.9.8.7" }))).toBe("10.9.8.7");
  expect(clientAddress(new Headers({ "x-forwarded-for": "::ffff:127.0.0.1" }))).toBe("127.0.0.1");
  expect(clientAddress(undefined)).toBe("unknown");
});

test("a deactivated user is refused like a wrong password, and the audit says why", async () => {
  const dave = await t.prisma.user.create({
    data: {
      username: "dave",
      role: "viewer",
      passwordHash: await hashPassword("dave-right-password"),
      deactivatedAt: new Date(),
    },
  });
  expect(await verifyLocalSignIn("dave", "dave-right-password", from("10.0.0.5"))).toBeNull();
  const audit = await t.prisma.auditEvent.findFirst({ where: { actor: "local:dave" }, orderBy: { id: "desc" } });
  expect(audit?.detail).toEqual({ reason: "account deactivated" });
  await t.prisma.user.update({ where: { id: dave.id }, data: { deactivatedAt: null } });
  expect(await verifyLocalSignIn("dave", "dave-right-password", from("10.0.0.5"))).toMatchObject({ name: "dave" });
});

test("keys gone quiet are swept when a new one appears; a key still blocked is kept", async () => {
  const old = new Date(Date.now() - 60 * 60_000);
  await t.prisma.signInThrottle.createMany({
    data: [
      { key: "user:quiet-spray", failures: 1, firstAt: old, lastAt: old },
      {
        key: "user:still-blocked",
        failures: 30,
        firstAt: old,
        lastAt: old,
        blockedUntil: new Date(Date.now() + 60_000),
      },
    ],
  });
  await verifyLocalSignIn("brand-new-name", "x", from("10.0.0.6"));
  const keys = (await t.prisma.signInThrottle.findMany({ select: { key: true } })).map((r) => r.key);
  expect(keys).not.toContain("user:quiet-spray");
  expect(keys).toContain("user:still-blocked");
});
