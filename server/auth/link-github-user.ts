import "server-only";
import type { Account, Profile } from "next-auth";
import { env } from "@/server/env";
import { db } from "@/server/db";
import { recordAudit } from "@/server/audit/record-audit";

// GitHub sign-in: optionally limited to an org's active members; users are created as viewers.

async function isOrgMember(org: string, accessToken: string): Promise<boolean> {
  const res = await fetch(`https://api.github.com/user/memberships/orgs/${encodeURIComponent(org)}`, {
    headers: { authorization: `Bearer ${accessToken}`, accept: "application/vnd.github+json" },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) return false;
  const body = (await res.json()) as { state?: string };
  return body.state === "active";
}

/** Checks the org rule and links the GitHub account to a portal user; false refuses the sign-in. */
export async function linkGitHubUser(account: Account, profile: Profile | undefined): Promise<boolean> {
  const login = String((profile as { login?: string } | undefined)?.login ?? account.providerAccountId);
  const org = env().AUTH_GITHUB_ORG;
  if (org && !(account.access_token && (await isOrgMember(org, account.access_token)))) {
    await recordAudit({ actor: `github:${login}`, action: "auth.sign-in", outcome: "refused", detail: { reason: `not an active member of ${org}` } });
    return false;
  }
  const existing = await db().account.findUnique({
    where: { provider_providerAccountId: { provider: "github", providerAccountId: account.providerAccountId } },
  });
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
  (account as { portalUserId?: string }).portalUserId = userId;
  await recordAudit({ actor: `github:${login}`, action: "auth.sign-in", outcome: "success" });
  return true;
}
