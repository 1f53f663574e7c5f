import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { z } from "zod";
import { env } from "@/server/env";
import { verifyLocalSignIn } from "@/server/auth/verify-local-sign-in";
import { linkGitHubUser } from "@/server/auth/link-github-user";

// next-auth: GitHub OAuth when configured, local sign-in only when enabled. Sessions are JWTs that
// carry the user id; the role is read from the database on every check, never trusted from the token.

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
        authorization: { params: { scope: e.AUTH_GITHUB_ORG ? "read:user user:email read:org" : "read:user user:email" } },
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
  providers: providers(),
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider !== "github") return true;
      return linkGitHubUser(account, profile);
    },
    jwt({ token, user, account }) {
      // For GitHub the user id is ours, set by linkGitHubUser on the account.
      const linked = (account as { portalUserId?: string } | null)?.portalUserId;
      if (linked) token.sub = linked;
      else if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
}));
