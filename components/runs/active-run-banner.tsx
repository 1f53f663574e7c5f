import Link from "next/link";

// Shown on every page while a run is active, so nobody starts work on a cluster being rebuilt.
export function ActiveRunBanner({ runs }: { runs: { id: string; pipeline: string; status: string; cluster: string; requestedBy: string }[] }) {
  if (runs.length === 0) return null;
  return (
    <div role="status" className="border-b border-sky-200 bg-sky-50 px-4 py-2 text-sm text-sky-900 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-200">
      {runs.map((r) => (
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
