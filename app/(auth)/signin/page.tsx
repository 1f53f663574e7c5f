import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { signInMethods } from "@/server/auth/auth";
import { currentUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const [{ callbackUrl, error }, user] = await Promise.all([searchParams, currentUser().catch(() => null)]);
  if (user) redirect("/");
  const methods = signInMethods();
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h1 className="text-xl font-semibold">Growbin Ops Portal</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Sign in to rebuild and watch the cluster.</p>
        {error ? (
          <p
            role="alert"
            className="mt-4 rounded-md bg-red-50 p-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300"
          >
            {error === "AccessDenied"
              ? "Access denied: your GitHub account is not allowed here."
              : "Sign-in failed. Try again."}
          </p>
        ) : null}
        <SignInForm github={methods.github} local={methods.local} callbackUrl={callbackUrl ?? "/"} />
      </div>
    </main>
  );
}
