import type { Metadata } from "next";
import { Suspense } from "react";
import { notFound } from "next/navigation";
import { requireViewer } from "@/server/auth/require-user";
import { findCluster, getHealth } from "@/server/auth/page-reads";
import { overviewView } from "@/server/cluster/health/health-views";
import { HealthQueryProvider } from "@/components/health/query-provider";
import { TierCards, TierCardsSkeleton } from "@/components/health/tier-cards";

export const metadata: Metadata = { title: "Tiers" };

async function Tiers({ cluster }: { cluster: string }) {
  const h = await getHealth(cluster);
  return <TierCards cluster={cluster} initial={overviewView(h)} initialAt={Date.parse(h.at)} />;
}

// The 4 tiers of one cluster with their status and reasons; each links to its detail.
export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  await requireViewer();
  const cluster = await findCluster(decodeURIComponent((await params).cluster));
  if (!cluster) notFound();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Tiers · {cluster.name}</h1>
      <HealthQueryProvider>
        <Suspense fallback={<TierCardsSkeleton />}>
          <Tiers cluster={cluster.name} />
        </Suspense>
      </HealthQueryProvider>
    </div>
  );
}
