import "server-only";
import type { Account, Profile } from "next-auth";
import { env } from "@/server/env";
import { db } from "@/server/db";
import { recordAudit } from "@/server/audit/record-audit";
import { orgMembership } from "@/server/auth/org-membership";

// GitHub sign-in: optionally limited to an org's active members (re-checked during the session, see
// session-check.ts); users are created as viewers; a deactivated user is refused.

/** Checks the org rule and links the GitHub account to a portal user; false refuses the sign-in. */
export async function linkGitHubUser(account: Account, profile: Profile | undefined): Promise<boolean> {
  const login = String((profile as { login?: string } | undefined)?.login ?? account.providerAccountId);
  const org = env().AUTH_GITHUB_ORG;
  if (org && !(account.access_token && (await orgMembership(org, account.access_token)) === "active")) {
    await recordAudit({
      actor: `github:${login}`,
      action: "auth.sign-in",
      outcome: "refused",
      detail: { reason: `not an active member of ${org}` },
    });
    return false;
  }
  const existing = await db().account.findUnique({
    where: { provider_providerAccountId: { provider: "github", providerAccountId: account.providerAccountId } },
  });
  const existingUser = existing
    ? await db().user.findUnique({ where: { id: existing.userId }, select: { deactivatedAt: true } })
    : null;
  if (existingUser?.deactivatedAt) {
    await recordAudit({
      actor: `github:${login}`,
      action: "auth.sign-in",
      outcome: "refused",
      detail: { reason: "account deactivated" },
    });
    return false;
  }
  const userId =
    existing?.userId ??
    (
      await db().user.create({
        data: {
          name: (profile?.name as string | undefined) ?? login,
          email: (profile?.email as string | undefined) ?? null,
          image: (profile as { avatar_url?: string } | undefined)?.avatar_url ?? null,
          accounts: { create: { type: "oauth", provider: "github", providerAccountId: account.providerAccountId } },
        },
      })
    ).id;
  if (org) await db().user.update({ where: { id: userId }, data: { orgCheckedAt: new Date() } });
  (account as { portalUserId?: string }).portalUserId = userId;
  await recordAudit({ actor: `github:${login}`, action: "auth.sign-in", outcome: "success" });
  return true;
}
