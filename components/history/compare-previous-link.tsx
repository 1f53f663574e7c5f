import "server-only";
import Link from "next/link";
import { findPreviousRun } from "@/server/history/compare-runs";

// On a run page: a link to compare this run with the run of the same pipeline on the same cluster before it.
// An async server component that loads its own one-row query, so the page only renders it (inside <Suspense> if it likes).
export async function ComparePreviousLink({ runId }: { runId: string }) {
  const prev = await findPreviousRun(runId);
  if (!prev) return null;
  return (
    <Link
      href={`/runs/compare?a=${encodeURIComponent(prev.id)}&b=${encodeURIComponent(runId)}`}
      className="text-sm text-sky-700 underline dark:text-sky-400"
      data-testid="compare-previous"
    >
      Compare with the previous run of this pipeline
    </Link>
  );
}
