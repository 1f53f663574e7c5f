import "server-only";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { generatePassword, hashPassword } from "@/server/auth/password";
import { recordAudit } from "@/server/audit/record-audit";

// First start with local sign-in: create one admin with a random password, shown once, stored hashed.

/** Creates the first admin when no user exists yet; returns the credentials to print, or null. */
export async function ensureFirstAdmin(prisma: PrismaClient): Promise<{ username: string; password: string } | null> {
  if ((await prisma.user.count()) > 0) return null;
  const password = generatePassword();
  const username = "admin";
  await prisma.user.create({
    data: { username, name: "Administrator", role: "admin", passwordHash: await hashPassword(password) },
  });
  await recordAudit(
    {
      actor: "system",
      action: "user.create",
      target: username,
      outcome: "success",
      detail: { role: "admin", reason: "first start" },
    },
    prisma,
  );
  return { username, password };
}
