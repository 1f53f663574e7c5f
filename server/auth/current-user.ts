import "server-only";
import { cache } from "react";
import { auth } from "@/server/auth/auth";
import { db } from "@/server/db";
import type { RoleName } from "@/server/auth/roles";

// The signed-in user, with the role read from the database (a role change applies at once). Pages, server
// actions (safe-action.ts) and route handlers (with-role.ts) all read the role through here.

export type CurrentUser = { id: string; name: string; role: RoleName; actor: string };

/** The user behind this request, or null without a valid session (forged and expired tokens decode to none). */
export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db().user.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      username: true,
      email: true,
      role: true,
      sessionVersion: true,
      deactivatedAt: true,
    },
  });
  // auth() has checked the session already; the role is read here, so the version is compared here too.
  if (!user || user.deactivatedAt || user.sessionVersion !== session.sv) return null;
  const name = user.name ?? user.username ?? user.email ?? user.id;
  return { id: user.id, name, role: user.role, actor: user.username ?? user.email ?? user.id };
});
