import "server-only";

// GitHub org membership of the signed-in user, from GET /user/memberships/orgs/{org} with the user's own
// token (https://docs.github.com/en/rest/orgs/members#get-an-organization-membership-for-the-authenticated-user):
// 200 with state "active" is a member; "pending" (invited), 404 (not a member) and 401/403 (token revoked or
// access withdrawn) are not. Anything else (5xx, a timeout) says nothing either way.

export type Membership = "active" | "not-member" | "unknown";

/** Asks GitHub whether the token's user is an active member of `org`. */
export async function orgMembership(
  org: string,
  accessToken: string,
  fetchImpl: typeof fetch = fetch,
): Promise<Membership> {
  try {
    const res = await fetchImpl(`https://api.github.com/user/memberships/orgs/${encodeURIComponent(org)}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/vnd.github+json" },
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status === 200)
      return ((await res.json()) as { state?: string }).state === "active" ? "active" : "not-member";
    if (res.status === 404 || res.status === 401 || res.status === 403) return "not-member";
    return "unknown";
  } catch {
    return "unknown";
  }
}
