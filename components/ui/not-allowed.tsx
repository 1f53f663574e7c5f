// Shown when a signed-in user opens a page their role does not cover.
export function NotAllowed({ need, role }: { need: string; role: string }) {
  return (
    <div
      role="alert"
      className="mx-auto mt-10 max-w-md rounded-lg border border-amber-300 bg-amber-50 p-6 text-center dark:border-amber-800 dark:bg-amber-950/40"
    >
      <h1 className="text-lg font-semibold">Not allowed</h1>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        This page needs the <strong>{need}</strong> role. You are signed in as <strong>{role}</strong>. Ask an admin to
        change your role on the Settings page.
      </p>
    </div>
  );
}
