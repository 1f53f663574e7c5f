"use server";
import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn, signOut } from "@/server/auth/auth";
import { currentUser } from "@/server/auth/current-user";
import { recordAudit } from "@/server/audit/record-audit";

// Sign-in and sign-out: the only actions that run without a session (they create or end one).

const local = z.object({
  username: z.string().trim().min(1, "Enter your username.").max(64),
  password: z.string().min(1, "Enter your password.").max(256),
  callbackUrl: z.string().optional(),
});

/** Only same-site paths may be redirect targets. */
function safeCallback(url: string | undefined): string {
  return url && url.startsWith("/") && !url.startsWith("//") ? url : "/";
}

/** The form's state; `username` is returned so that a refused attempt keeps what was typed. */
export type SignInState = { message?: string; errors?: Record<string, string[]>; username?: string };

/** Local username/password sign-in, for useActionState. */
export async function signInLocal(_prev: SignInState, form: FormData): Promise<SignInState> {
  const parsed = local.safeParse(Object.fromEntries(form.entries()));
  const typed = String(form.get("username") ?? "").slice(0, 64);
  if (!parsed.success) return { errors: z.flattenError(parsed.error).fieldErrors, username: typed };
  try {
    await signIn("local", {
      username: parsed.data.username,
      password: parsed.data.password,
      redirectTo: safeCallback(parsed.data.callbackUrl),
    });
  } catch (err) {
    if (err instanceof AuthError) return { message: "Wrong username or password.", username: typed };
    throw err; // the redirect after a successful sign-in is thrown too
  }
  return {};
}

/** GitHub OAuth sign-in. */
export async function signInGitHub(form: FormData): Promise<void> {
  await signIn("github", { redirectTo: safeCallback(String(form.get("callbackUrl") ?? "")) });
}

/** Ends the session and returns to the sign-in page. */
export async function signOutAction(): Promise<void> {
  const user = await currentUser().catch(() => null);
  if (user) await recordAudit({ actor: user.actor, action: "auth.sign-out", outcome: "success" });
  await signOut({ redirectTo: "/signin" });
}
