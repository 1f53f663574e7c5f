import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EmptyState } from "@/components/ui/empty-state";
import { findCluster } from "@/server/cluster/find-clusters";

export const metadata: Metadata = { title: "Tiers" };

// Tiers of one cluster. Says plainly what is not there yet rather than showing made-up data.
export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const cluster = await findCluster(decodeURIComponent((await params).cluster));
  if (!cluster) notFound();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Tiers · {cluster.name}</h1>
      <EmptyState title="Not available yet">Per-tier health (EC2, nodes, pods, control plane, monitoring) is not built yet: it is the tier-health issue. Until then: infra/scripts/check-cluster-health.sh.</EmptyState>
    </div>
  );
}
