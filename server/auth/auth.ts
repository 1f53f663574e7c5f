import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { z } from "zod";
import { env } from "@/server/env";
import { verifyLocalSignIn } from "@/server/auth/verify-local-sign-in";
import { linkGitHubUser } from "@/server/auth/link-github-user";
import { bumpSessionVersion, checkSession, type SessionClaims } from "@/server/auth/session-check";
import { db } from "@/server/db";
import { log } from "@/server/log";

declare module "next-auth" {
  interface Session {
    /** The session version the token carries, compared again wherever the role is read. */
    sv?: number;
  }
}

// next-auth: GitHub OAuth when configured, local sign-in only when enabled. Sessions are JWTs that
// carry the user id and a session version; the role is read from the database on every check, never trusted
// from the token, and a bumped version ends the session (session-check.ts).

const credentials = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) });

/** Which sign-in methods this deployment offers. */
export function signInMethods() {
  const e = env();
  return { github: Boolean(e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET), local: e.PORTAL_LOCAL_LOGIN ?? false };
}

function providers(): Provider[] {
  const e = env();
  const list: Provider[] = [];
  if (signInMethods().github) {
    list.push(
      GitHub({
        clientId: e.AUTH_GITHUB_ID,
        clientSecret: e.AUTH_GITHUB_SECRET,
        authorization: {
          params: { scope: e.AUTH_GITHUB_ORG ? "read:user user:email read:org" : "read:user user:email" },
        },
      }),
    );
  }
  if (signInMethods().local) {
    list.push(
      Credentials({
        id: "local",
        name: "Local account",
        credentials: { username: { label: "Username" }, password: { label: "Password", type: "password" } },
        async authorize(raw, request) {
          const parsed = credentials.safeParse(raw);
          if (!parsed.success) throw new CredentialsSignin();
          const user = await verifyLocalSignIn(parsed.data.username, parsed.data.password, request?.headers);
          if (!user) throw new CredentialsSignin();
          return user;
        },
      }),
    );
  }
  return list;
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/signin", error: "/signin" },
  // One JSON line per auth error: a forged or stale cookie is routine on a public server and used to print
  // a multi-line JWTSessionError stack trace each time. The cause's message is enough to tell them apart.
  logger: {
    error(error) {
      const type = (error as { type?: string }).type ?? error.name;
      const cause = (error as { cause?: unknown }).cause;
      const detail = cause instanceof Error ? cause.message : typeof cause === "string" ? cause : undefined;
      const expected = type === "JWTSessionError" || type === "CredentialsSignin";
      log[expected ? "warn" : "error"]("auth error", {
        type,
        ...(detail ? { cause: detail.split("\n")[0]!.slice(0, 200) } : {}),
      });
    },
  },
  providers: providers(),
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider !== "github") return true;
      return linkGitHubUser(account, profile);
    },
    async jwt({ token, user, account }) {
      if (user || account) {
        // A sign-in: the token records the session version and the time of sign-in, and for GitHub the
        // access token (the JWT is encrypted) so that org membership can be re-checked during the session.
        // For GitHub the user id is ours, set by linkGitHubUser on the account.
        const id = (account as { portalUserId?: string } | null)?.portalUserId ?? user?.id;
        if (!id) return null;
        const row = await db().user.findUnique({ where: { id }, select: { sessionVersion: true } });
        if (!row) return null;
        return {
          ...token,
          sub: id,
          sv: row.sessionVersion,
          authAt: Date.now(),
          gh: account?.provider === "github" ? account.access_token : undefined,
        };
      }
      // Every later use (auth(), /api/auth/session): a revoked, expired or deactivated session ends here,
      // and next-auth deletes its cookie instead of sliding it.
      const verdict = await checkSession(token as SessionClaims);
      return verdict.ok ? token : null;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      session.sv = (token as SessionClaims).sv;
      return session;
    },
  },
  events: {
    // Signing out ends every session of the user, not only this cookie (which the browser drops anyway).
    async signOut(message) {
      const sub = "token" in message ? message.token?.sub : undefined;
      if (sub) await bumpSessionVersion(sub);
    },
  },
}));
