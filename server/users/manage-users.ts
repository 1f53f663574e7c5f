import "server-only";
import { z } from "zod";
import { db } from "@/server/db";
import { ROLES } from "@/server/auth/roles";
import { generatePassword, hashPassword } from "@/server/auth/password";
import { ConflictError, NotFoundError } from "@/server/errors";

// User administration for the Settings page and the CLI: list, change role, (de)activate, create a local account.

export const setRoleInput = z.object({ userId: z.string().min(1).max(40), role: z.enum(ROLES) });
export const setActiveInput = z.object({ userId: z.string().min(1).max(40), active: z.boolean() });
export const createUserInput = z.object({
  username: z
    .string()
    .trim()
    .regex(
      /^[a-z][a-z0-9._-]{1,31}$/,
      "2-32 lower-case letters, digits, dots, dashes or underscores, starting with a letter",
    ),
  role: z.enum(ROLES),
});

/** Every user with their role and sign-in method. */
export async function listUsers() {
  const rows = await db().user.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      name: true,
      username: true,
      email: true,
      role: true,
      deactivatedAt: true,
      createdAt: true,
      accounts: { select: { provider: true } },
    },
  });
  return rows.map((u) => ({
    ...u,
    active: !u.deactivatedAt,
    method: u.username ? "local" : (u.accounts[0]?.provider ?? "oauth"),
  }));
}

// Every change that can remove an admin takes this transaction lock first, so "is this the last admin?" and the
// change are one step: two admins demoting each other at once are serialised, and the second sees the first's
// result (READ COMMITTED takes a new snapshot per statement, after the lock is granted).
const ADMIN_CHANGE_LOCK = 0x67726f_61646d; // any constant shared by these transactions ("gro" "adm")

type Tx = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];
async function lockAdminChanges(tx: Tx) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADMIN_CHANGE_LOCK}::bigint)`;
}

/** Changes a role; refuses to remove the last admin, so the portal can always be administered. */
export async function setUserRole(input: z.infer<typeof setRoleInput>) {
  return db().$transaction(async (tx) => {
    await lockAdminChanges(tx);
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user) throw new NotFoundError("That user does not exist.");
    if (user.role === "admin" && input.role !== "admin") {
      const admins = await tx.user.count({ where: { role: "admin", deactivatedAt: null } });
      if (admins <= 1) throw new ConflictError("This is the last admin: make someone else admin first.");
    }
    // A new role ends the user's sessions, so no page or form keeps acting on the old one.
    await tx.user.update({
      where: { id: user.id },
      data: { role: input.role, ...(user.role !== input.role ? { sessionVersion: { increment: 1 } } : {}) },
    });
    return { username: user.username ?? user.email ?? user.id, from: user.role, role: input.role };
  });
}

/** Deactivates a user (their sessions end at the next request and they cannot sign in) or reactivates them.
 * The last active admin cannot be deactivated. */
export async function setUserActive(input: z.infer<typeof setActiveInput>) {
  return db().$transaction(async (tx) => {
    await lockAdminChanges(tx);
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user) throw new NotFoundError("That user does not exist.");
    if (!input.active && user.role === "admin" && !user.deactivatedAt) {
      const admins = await tx.user.count({ where: { role: "admin", deactivatedAt: null } });
      if (admins <= 1) throw new ConflictError("This is the last active admin: make someone else admin first.");
    }
    if (!input.active === Boolean(user.deactivatedAt))
      return { username: user.username ?? user.email ?? user.id, active: input.active };
    await tx.user.update({
      where: { id: user.id },
      data: input.active ? { deactivatedAt: null } : { deactivatedAt: new Date(), sessionVersion: { increment: 1 } },
    });
    return { username: user.username ?? user.email ?? user.id, active: input.active };
  });
}

/** Creates a local account with a generated password, returned once to show to the admin. */
export async function createLocalUser(input: z.infer<typeof createUserInput>) {
  const exists = await db().user.findUnique({ where: { username: input.username } });
  if (exists) throw new ConflictError(`A user named "${input.username}" already exists.`);
  const password = generatePassword();
  await db().user.create({
    data: {
      username: input.username,
      name: input.username,
      role: input.role,
      passwordHash: await hashPassword(password),
    },
  });
  return { username: input.username, password };
}
