import { describe, expect, test } from "vitest";
import { generatePassword, hashPassword, verifyPassword } from "@/server/auth/password";

describe("passwords", () => {
  test("a hash verifies its own password and no other, and never contains it", async () => {
    const pw = generatePassword();
    const hash = await hashPassword(pw);
    expect(hash).not.toContain(pw);
    expect(await verifyPassword(pw, hash)).toBe(true);
    expect(await verifyPassword(pw + "x", hash)).toBe(false);
  });

  test("two hashes of one password differ (random salt)", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });

  test("generated passwords are long and not repeated", () => {
    const a = generatePassword();
    expect(a.length).toBeGreaterThanOrEqual(24);
    expect(generatePassword()).not.toBe(a);
  });

  test("a malformed stored hash is a failed check, not a crash", async () => {
    expect(await verifyPassword("x", "plain-text")).toBe(false);
    expect(await verifyPassword("x", "scrypt$1$2")).toBe(false);
  });
});
