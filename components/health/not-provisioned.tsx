import Link from "next/link";

// The one thing to say about a cluster with no instances: it is not provisioned (not "down"), and what to do.
export function NotProvisioned({ cluster, onOverview = false }: { cluster: string; onOverview?: boolean }) {
  return (
    <div
      role="status"
      data-testid="not-provisioned"
      className="rounded-lg border border-slate-300 bg-slate-50 p-4 text-sm dark:border-slate-700 dark:bg-slate-900"
    >
      <p className="font-medium">{cluster} is not provisioned.</p>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        It has no instances yet (or they were torn down), so there is no node, pod, queue or application to check.
        Nothing here is broken.{" "}
        {onOverview ? (
          <>Provision it with the button in the Runs panel; operators and admins can.</>
        ) : (
          <>
            Provision it from the{" "}
            <Link
              className="text-sky-700 underline underline-offset-2 dark:text-sky-400"
              href={`/c/${encodeURIComponent(cluster)}#runs`}
            >
              overview
            </Link>
            .
          </>
        )}
      </p>
    </div>
  );
}
