import "server-only";
import { currentUser, type CurrentUser } from "@/server/auth/current-user";
import { hasRole, type RoleName } from "@/server/auth/roles";
import { recordAudit } from "@/server/audit/record-audit";
import { AppError, ForbiddenError, UnauthenticatedError, publicMessage } from "@/server/errors";
import { log } from "@/server/log";

// The one guard of every route handler under app/api that serves the portal's data. It reads the session
// (currentUser(): the user's row, its role and session version from the database, so a revoked session or a
// deactivated user is refused at once), checks the role, audits a refusal under the route's action name, and
// only then runs the handler. Refusals are JSON: 401 without a valid session, 403 with too low a role.
// Errors the handler throws become JSON answers too (errorResponse, or the route's own onError).
//
// Not wrapped, on purpose: /api/healthz (public probe), /api/metrics (its own bearer token) and next-auth's
// /api/auth/* (the sign-in itself). test/page-guards.test.ts lists every route and fails on a new one that is
// neither wrapped nor on that list.

type Handler<C> = (request: Request, context: C, user: CurrentUser) => Promise<Response>;

/**
 * Checks the session and role for a route handler; the refusal is audited and thrown as a 401/403 error.
 * The refusal stands whether or not its audit row could be written: recordAudit logs its own failure, and a
 * flood of refused requests (an expired tab polling) that exhausts the database pool must still get 401, not 500.
 */
export async function authorize(role: RoleName, action: string): Promise<CurrentUser> {
  const user = await currentUser().catch(() => null);
  if (!user) {
    await recordAudit({ actor: "anonymous", action, outcome: "refused", detail: { reason: "no session" } }).catch(
      () => undefined,
    );
    throw new UnauthenticatedError("Sign in first.");
  }
  if (!hasRole(user.role, role)) {
    await recordAudit({ actor: user.actor, action, outcome: "refused", detail: { reason: `needs ${role}` } }).catch(
      () => undefined,
    );
    throw new ForbiddenError(`Not allowed: this needs the ${role} role.`);
  }
  return user;
}

/**
 * Wraps a route handler: `export const GET = withRole("viewer", "run.export", async (request, ctx, user) => ...)`.
 * `action` names the request in the audit log. `onError` answers what the handler throws (default errorResponse).
 */
export function withRole<C>(
  role: RoleName,
  action: string,
  handler: Handler<C>,
  opts: { onError?: (err: unknown) => Response } = {},
) {
  return async (request: Request, context: C): Promise<Response> => {
    let user: CurrentUser;
    try {
      user = await authorize(role, action);
    } catch (err) {
      return errorResponse(err);
    }
    try {
      return await handler(request, context, user);
    } catch (err) {
      return (opts.onError ?? errorResponse)(err);
    }
  };
}

/** Maps an error to a JSON Response with the right status: 401, 403, 404, 400, 429, 409 for other expected errors, 500. */
export function errorResponse(err: unknown): Response {
  const byName: Record<string, number> = { NotFoundError: 404, ValidationError: 400, RateLimitError: 429 };
  const status =
    err instanceof UnauthenticatedError
      ? 401
      : err instanceof ForbiddenError
        ? 403
        : err instanceof AppError
          ? (byName[err.name] ?? 409)
          : 500;
  if (status === 500) log.error("route handler failed", { error: err });
  return Response.json({ error: publicMessage(err) }, { status });
}
