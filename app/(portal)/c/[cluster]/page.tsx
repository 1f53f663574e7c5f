import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { RunsTable } from "@/components/runs/runs-table";
import { StartRunPanel } from "@/components/runs/start-run-panel";
import { HealthOverview } from "@/components/health/overview-widgets";
import { requireViewer } from "@/server/auth/require-user";
import { NODES } from "@/server/runs/pipelines";
import { isActiveStatus } from "@/lib/run-states";
import { findCluster, findPipelineDurations, getHealth, listRecentRuns } from "@/server/auth/page-reads";
import { isProvisioned, resettableNodes } from "@/server/cluster/health/health-views";
import { WITHOUT_PODS } from "@/server/cluster/health/get-health";
import type { RoleName } from "@/server/auth/roles";

type Props = { params: Promise<{ cluster: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).cluster) };
}

/** The run buttons: they need the cluster's health (which nodes exist, whether it is provisioned) and its run history. */
async function StartRuns(p: {
  cluster: string;
  clusterId: string;
  kind: "aws" | "sandbox";
  role: RoleName;
  activeRunId: string | null;
}) {
  const [h, durations] = await Promise.all([getHealth(p.cluster, WITHOUT_PODS), findPipelineDurations(p.clusterId)]);
  return (
    <StartRunPanel
      cluster={p.cluster}
      kind={p.kind}
      role={p.role}
      nodes={resettableNodes(h, NODES)}
      activeRunId={p.activeRunId}
      durations={durations}
      unprovisioned={!p.activeRunId && isProvisioned(h) === false}
    />
  );
}

// A cluster's overview: what it is, the run buttons the user's role allows, and its latest runs.
export default async function ClusterOverview({ params }: Props) {
  const user = await requireViewer();
  const name = decodeURIComponent((await params).cluster);
  const cluster = await findCluster(name);
  if (!cluster) notFound();
  const runs = await listRecentRuns(cluster.id);
  const active = runs.find((r) => isActiveStatus(r.status));
  return (
    <div className="flex flex-col gap-6">
      <header>
        <h1 className="text-xl font-semibold" data-testid="cluster-name">
          {cluster.name}
        </h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {cluster.kind === "sandbox"
            ? "Sandbox: a local stand-in for the 4-tier AWS cluster"
            : `AWS, ${cluster.config.kind === "aws" ? cluster.config.region : ""}`}
          {cluster.config.description ? ` · ${cluster.config.description}` : ""}
        </p>
      </header>
      <HealthOverview cluster={cluster.name} />
      <section id="runs" className="scroll-mt-4">
        <Card title="Runs">
          <Suspense
            fallback={<div className="h-10 animate-pulse rounded bg-slate-100 dark:bg-slate-800" aria-busy="true" />}
          >
            <StartRuns
              cluster={cluster.name}
              clusterId={cluster.id}
              kind={cluster.kind}
              role={user.role}
              activeRunId={active?.id ?? null}
            />
          </Suspense>
        </Card>
      </section>
      <Card
        title="Recent runs"
        action={
          <Link
            className="text-sm text-sky-600 underline-offset-2 hover:underline"
            href={`/runs?cluster=${encodeURIComponent(cluster.name)}`}
          >
            All runs
          </Link>
        }
      >
        {runs.length ? (
          <RunsTable runs={runs} />
        ) : (
          <EmptyState title="No runs yet">
            Nothing has been run on this cluster yet. Operators start a rebuild, provision or verify above;{" "}
            <code>npm run cli -- verify --cluster {cluster.name}</code> does the same from a terminal.
          </EmptyState>
        )}
      </Card>
    </div>
  );
}
