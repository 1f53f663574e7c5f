import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EmptyState } from "@/components/ui/empty-state";
import { findCluster } from "@/server/cluster/find-clusters";

export const metadata: Metadata = { title: "Argo CD" };

// Argo CD of one cluster. Says plainly what is not there yet rather than showing made-up data.
export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const cluster = await findCluster(decodeURIComponent((await params).cluster));
  if (!cluster) notFound();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Argo CD · {cluster.name}</h1>
      <EmptyState title="Not available yet">Argo CD application sync and health are not built yet: they come with the tier-health issue. Until then: infra/scripts/check-cluster-health.sh.</EmptyState>
    </div>
  );
}
