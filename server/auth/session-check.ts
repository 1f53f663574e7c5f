import "server-only";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { log } from "@/server/log";
import { recordAudit } from "@/server/audit/record-audit";
import { orgMembership, type Membership } from "@/server/auth/org-membership";

// Whether a session token still stands. A session is a JWT (the cookie), so it cannot be deleted on the
// server; instead it carries the user's session version, and bumping that version in the database (sign-out,
// role change, deactivation, removal from the GitHub org) ends every session the user has. A session also
// ends a fixed time after sign-in, however often it is used (the cookie's own expiry slides).

/** However active a session is, it ends this long after its sign-in. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** How often a GitHub user's org membership is confirmed again while they use the portal. */
export const ORG_RECHECK_MS = 10 * 60_000;
/** How long a membership stands when GitHub cannot be asked (an outage must not sign everyone out at once). */
export const ORG_UNKNOWN_GRACE_MS = 60 * 60_000;

/** The claims the portal puts in a session token. */
export type SessionClaims = { sub?: string; sv?: number; authAt?: number; gh?: string };

export type SessionVerdict = { ok: true } | { ok: false; reason: string };

/** Checks a token's claims against the user's row; also re-checks GitHub org membership when it is due. */
export async function checkSession(
  claims: SessionClaims,
  opts: { now?: number; membership?: (org: string, token: string) => Promise<Membership> } = {},
): Promise<SessionVerdict> {
  const now = opts.now ?? Date.now();
  if (!claims.sub || typeof claims.sv !== "number" || typeof claims.authAt !== "number")
    return { ok: false, reason: "token without session claims" };
  if (now - claims.authAt > SESSION_ABSOLUTE_MS) return { ok: false, reason: "session lifetime over" };
  const user = await db().user.findUnique({
    where: { id: claims.sub },
    select: { sessionVersion: true, deactivatedAt: true, orgCheckedAt: true, username: true, email: true },
  });
  if (!user) return { ok: false, reason: "user deleted" };
  if (user.deactivatedAt) return { ok: false, reason: "user deactivated" };
  if (user.sessionVersion !== claims.sv) return { ok: false, reason: "session revoked" };
  const org = env().AUTH_GITHUB_ORG;
  if (!org || !claims.gh) return { ok: true };
  const checkedAt = user.orgCheckedAt?.getTime() ?? 0;
  if (now - checkedAt < ORG_RECHECK_MS) return { ok: true };
  const membership = await (opts.membership ?? orgMembership)(org, claims.gh);
  if (membership === "active") {
    await db().user.update({ where: { id: claims.sub }, data: { orgCheckedAt: new Date(now) } });
    return { ok: true };
  }
  if (membership === "unknown") {
    log.warn("GitHub org membership could not be checked", { org });
    return now - checkedAt < ORG_UNKNOWN_GRACE_MS ? { ok: true } : { ok: false, reason: "org membership unconfirmed" };
  }
  // Removed from the org: end every session now; a new sign-in is refused by linkGitHubUser.
  await db().user.update({ where: { id: claims.sub }, data: { sessionVersion: { increment: 1 } } });
  await recordAudit({
    actor: user.username ?? user.email ?? claims.sub,
    action: "auth.session.revoked",
    target: claims.sub,
    outcome: "success",
    detail: { reason: `no longer an active member of ${org}` },
  });
  return { ok: false, reason: "not an org member" };
}

/** Ends every session of a user (the next request of each is signed out). */
export async function bumpSessionVersion(userId: string): Promise<void> {
  await db().user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}
