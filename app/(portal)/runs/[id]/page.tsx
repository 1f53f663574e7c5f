import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LiveRun } from "@/components/runs/live-run";
import { FailureSummary } from "@/components/runs/failure-summary";
import { HealthSnapshotPanel } from "@/components/runs/health-snapshot-panel";
import { formatUtc } from "@/components/ui/time";
import { UserText } from "@/components/ui/user-text";
import { requireViewer } from "@/server/auth/require-user";
import { findStepMedians, getHealthSnapshot, getRunSnapshot, summarizeFailure } from "@/server/auth/page-reads";
import { ComparePreviousLink } from "@/components/history/compare-previous-link";
import { Suspense, cache } from "react";

type Props = { params: Promise<{ id: string }> };

/** One read of the run per request, shared by the metadata and the page. */
const loadRun = cache(getRunSnapshot);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const run = await loadRun((await params).id);
  return { title: run ? `${run.pipeline} on ${run.cluster}` : "Run not found" };
}

// One run: who, why, when, how long; why it failed; its steps on a timeline; the live (or stored) log;
// cancel for operators; and the cluster's health when it ended.
export default async function RunPage({ params }: Props) {
  const { id } = await params;
  // Each read checks the session itself before it reads (page-reads.ts), so they can start with the page's own check.
  const [user, run, failure, snapshot, medians] = await Promise.all([
    requireViewer(),
    loadRun(id),
    summarizeFailure(id),
    getHealthSnapshot(id),
    findStepMedians(id),
  ]);
  if (!run) notFound();
  return (
    <div className="flex flex-col gap-4">
      <header className="flex flex-col gap-1">
        <p className="text-sm text-slate-500">
          <Link href={`/runs?cluster=${encodeURIComponent(run.cluster)}`} className="hover:underline">
            Runs
          </Link>{" "}
          / <span className="break-all">{run.id}</span>
          <span className="ml-3">
            <Suspense fallback={null}>
              <ComparePreviousLink runId={run.id} />
            </Suspense>
          </span>
        </p>
        <h1 className="text-xl font-semibold">
          {run.pipeline} on {run.cluster}
        </h1>
        <p className="text-sm break-words text-slate-600 dark:text-slate-400">
          Requested by <strong>{run.requestedBy}</strong> at{" "}
          <time dateTime={run.createdAt}>{formatUtc(run.createdAt)}</time>: “<UserText text={run.reason} />”
          {run.gitCommit ? (
            <>
              {" "}
              · infra/ at <code className="text-xs">{run.gitCommit.slice(0, 12)}</code>
            </>
          ) : null}
        </p>
      </header>
      {failure ? <FailureSummary runId={run.id} steps={failure.steps} runError={failure.runError} /> : null}
      <LiveRun runId={run.id} initial={run} role={user.role} actor={user.actor} medians={medians} />
      {snapshot ? <HealthSnapshotPanel capturedAt={snapshot.capturedAt} data={snapshot.data} /> : null}
    </div>
  );
}
