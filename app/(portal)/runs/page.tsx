import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { RunsTable } from "@/components/runs/runs-table";
import { findCluster } from "@/server/cluster/find-clusters";
import { listRuns } from "@/server/runs/find-runs";

export const metadata: Metadata = { title: "Runs" };

// All recorded runs, newest first, optionally for one cluster (?cluster=).
export default async function RunsPage({ searchParams }: { searchParams: Promise<{ cluster?: string }> }) {
  const { cluster: name } = await searchParams;
  const cluster = name ? await findCluster(name) : null;
  if (name && !cluster) notFound();
  const runs = await listRuns({ clusterId: cluster?.id });
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Runs{cluster ? ` on ${cluster.name}` : ""}</h1>
      <Card>
        {runs.length ? (
          <RunsTable runs={runs} showCluster />
        ) : (
          <EmptyState title="No runs recorded yet">Runs appear here as soon as someone rebuilds, provisions, tears down, verifies or resets a node.</EmptyState>
        )}
      </Card>
    </div>
  );
}
