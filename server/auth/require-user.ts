import "server-only";
import { forbidden, redirect } from "next/navigation";
import { currentUser, type CurrentUser } from "@/server/auth/current-user";
import { hasRole, type RoleName } from "@/server/auth/roles";

// The guards of pages and of the reads pages make (server/auth/page-reads.ts). Each page calls one of these
// itself before it reads anything: the layout checks the session too, but Next renders a layout and its page
// in parallel, so a page must never count on the layout having run first.
//
// currentUser() reads the user once per request (React cache), with the role and the session version from the
// database, so a deactivated user, a revoked session or a lowered role is refused at the next request.
// Without a valid session the visitor is sent to sign-in; with too low a role the page answers 403 (forbidden()).
// Route handlers use withRole (with-role.ts) instead, which answers JSON 401/403 and audits the refusal;
// server actions use roleAction (server/actions/safe-action.ts).

/** The signed-in user if they hold `role`; otherwise redirects to sign-in (no session) or answers 403. */
export async function requireRole(role: RoleName): Promise<CurrentUser> {
  const user = await currentUser().catch(() => null);
  if (!user) redirect("/signin");
  if (!hasRole(user.role, role)) forbidden();
  return user;
}

/** Any signed-in, active user (every role can read clusters, health, runs and trends). */
export function requireViewer(): Promise<CurrentUser> {
  return requireRole("viewer");
}

/** An operator or admin. */
export function requireOperator(): Promise<CurrentUser> {
  return requireRole("operator");
}

/** An admin (users and roles, the audit log, webhook deliveries). */
export function requireAdmin(): Promise<CurrentUser> {
  return requireRole("admin");
}
