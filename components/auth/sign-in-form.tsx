"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { signInGitHub, signInLocal, type SignInState } from "@/server/actions/auth-actions";

// The sign-in methods this deployment offers; says what to do when none is configured.
export function SignInForm({ github, local, callbackUrl }: { github: boolean; local: boolean; callbackUrl: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInLocal, {});
  return (
    <div className="mt-6 flex flex-col gap-4">
      {github ? (
        <form action={signInGitHub}>
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <Button type="submit" variant="secondary" className="w-full">
            Sign in with GitHub
          </Button>
        </form>
      ) : null}
      {local ? (
        <form action={action} className="flex flex-col gap-3">
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          {/* React resets a form after its action; defaultValue brings back the username a refused attempt typed. */}
          <Field
            label="Username"
            name="username"
            autoComplete="username"
            required
            defaultValue={state.username}
            errors={state.errors?.username}
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            errors={state.errors?.password}
          />
          {state.message ? (
            <p role="alert" className="text-sm text-red-600">
              {state.message}
            </p>
          ) : null}
          <Button type="submit" disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </Button>
        </form>
      ) : null}
      {!github && !local ? (
        <p className="text-sm text-slate-600">
          No sign-in method is configured. Set AUTH_GITHUB_ID and AUTH_GITHUB_SECRET, or PORTAL_LOCAL_LOGIN=true (see
          the README).
        </p>
      ) : null}
    </div>
  );
}
