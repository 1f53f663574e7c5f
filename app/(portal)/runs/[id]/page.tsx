import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LiveRun } from "@/components/runs/live-run";
import { currentUser } from "@/server/auth/current-user";
import { getRunSnapshot } from "@/server/runs/get-run";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const run = await getRunSnapshot((await params).id);
  return { title: run ? `${run.pipeline} on ${run.cluster}` : "Run not found" };
}

// One run: who, why, when; its steps; the live (or stored) log; cancel for operators.
export default async function RunPage({ params }: Props) {
  const { id } = await params;
  const [run, user] = await Promise.all([getRunSnapshot(id), currentUser()]);
  if (!run || !user) notFound();
  return (
    <div className="flex flex-col gap-4">
      <header className="flex flex-col gap-1">
        <p className="text-sm text-slate-500">
          <Link href={`/runs?cluster=${encodeURIComponent(run.cluster)}`} className="hover:underline">
            Runs
          </Link>{" "}
          / {run.id}
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Requested by <strong>{run.requestedBy}</strong> at <time dateTime={run.createdAt}>{run.createdAt.replace("T", " ").slice(0, 19)} UTC</time>: “{run.reason}”
          {run.gitCommit ? (
            <>
              {" "}
              · infra/ at <code className="text-xs">{run.gitCommit.slice(0, 12)}</code>
            </>
          ) : null}
        </p>
      </header>
      <LiveRun runId={run.id} initial={run} role={user.role} />
    </div>
  );
}
