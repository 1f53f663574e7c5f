"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

// Shown on every page while a run is active, so nobody starts work on a cluster being rebuilt; not on that
// run's own page, which already shows it live.
export function ActiveRunBanner({
  runs,
}: {
  runs: { id: string; pipeline: string; status: string; cluster: string; requestedBy: string }[];
}) {
  const pathname = usePathname();
  const others = runs.filter((r) => pathname !== `/runs/${r.id}`);
  if (others.length === 0) return null;
  return (
    <div
      role="status"
      data-testid="active-run-banner"
      className="border-b border-sky-200 bg-sky-50 px-4 py-2 text-sm break-words text-sky-900 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-200"
    >
      {others.map((r) => (
        <p key={r.id}>
          <strong>{r.pipeline}</strong> is {r.status} on <strong>{r.cluster}</strong> (requested by {r.requestedBy}).{" "}
          <Link className="underline underline-offset-2" href={`/runs/${r.id}`}>
            Watch it
          </Link>
        </p>
      ))}
    </div>
  );
}
