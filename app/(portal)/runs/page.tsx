import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { humanFieldError } from "@/components/ui/human-errors";
import { RunsTable } from "@/components/runs/runs-table";
import { RunFiltersForm } from "@/components/runs/run-filters-form";
import { requireViewer } from "@/server/auth/require-user";
import { findCluster, listClusters, searchRuns } from "@/server/auth/page-reads";
import { parseRunFilters } from "@/server/runs/search-runs";

export const metadata: Metadata = { title: "Runs" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// Every recorded run, filtered by what is in the URL (so a view can be shared), newest first, by pages.
export default async function RunsPage({ searchParams }: Props) {
  const [params] = await Promise.all([searchParams, requireViewer()]);
  const { filters, invalid } = parseRunFilters(params);
  if (typeof params.cluster === "string" && params.cluster && !(await findCluster(params.cluster))) notFound();
  const [{ rows, next }, clusters] = await Promise.all([searchRuns(filters), listClusters()]);
  const query = (extra: Record<string, string | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filters, cursor: undefined, ...extra })) if (v) q.set(k, String(v));
    return q.toString();
  };
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-xl font-semibold">Runs{filters.cluster ? ` on ${filters.cluster}` : ""}</h1>
        <div className="flex gap-3 text-sm">
          <Link
            className="text-sky-700 hover:underline dark:text-sky-400"
            href={`/runs/trends${filters.cluster ? `?cluster=${encodeURIComponent(filters.cluster)}` : ""}`}
          >
            Trends
          </Link>
          <a
            className="text-sky-700 hover:underline dark:text-sky-400"
            href={`/api/runs/export?${query({ sort: filters.sort })}`}
            download
          >
            Export CSV
          </a>
        </div>
      </div>
      <Card>
        <RunFiltersForm filters={filters} clusters={clusters.map((c) => c.name)} />
        {invalid.length ? (
          <p role="alert" className="mt-2 text-sm text-amber-700 dark:text-amber-400">
            Ignored:{" "}
            {invalid
              .map((i) => {
                const [k, ...m] = i.split(": ");
                return `${k}: ${humanFieldError(m.join(": "))}`;
              })
              .join("; ")}
          </p>
        ) : null}
      </Card>
      <Card>
        {rows.length ? (
          <>
            <RunsTable runs={rows} showCluster />
            <nav aria-label="Pages" className="mt-3 flex justify-between text-sm">
              {filters.cursor ? (
                <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/runs?${query({})}`}>
                  ← First page
                </Link>
              ) : (
                <span />
              )}
              {next ? (
                <Link
                  className="text-sky-700 hover:underline dark:text-sky-400"
                  href={`/runs?${query({ cursor: next })}`}
                  data-testid="next-page"
                >
                  Next page →
                </Link>
              ) : null}
            </nav>
          </>
        ) : (
          <EmptyState title={Object.keys(params).length ? "No run matches these filters" : "No runs recorded yet"}>
            {Object.keys(params).length
              ? "Loosen a filter, or clear them all."
              : "Runs appear here as soon as someone rebuilds, provisions, tears down, verifies or resets a node."}
          </EmptyState>
        )}
      </Card>
    </div>
  );
}
