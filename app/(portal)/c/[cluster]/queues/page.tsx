import type { Metadata } from "next";
import { Suspense } from "react";
import { notFound } from "next/navigation";
import { requireViewer } from "@/server/auth/require-user";
import { findCluster, getHealth, queueSeries } from "@/server/auth/page-reads";
import { queuesView } from "@/server/cluster/health/health-views";
import { HealthQueryProvider } from "@/components/health/query-provider";
import { QueuesLive } from "@/components/health/queues-live";

export const metadata: Metadata = { title: "Queues" };

async function Queues({ cluster, id }: { cluster: string; id: string }) {
  const [h, series] = await Promise.all([getHealth(cluster), queueSeries(id, "1h")]);
  return (
    <QueuesLive cluster={cluster} initial={{ ...queuesView(h), range: "1h", series }} initialAt={Date.parse(h.at)} />
  );
}

// RabbitMQ queues of one cluster: depth, consumers, rates, and depth over time.
export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  await requireViewer();
  const cluster = await findCluster(decodeURIComponent((await params).cluster));
  if (!cluster) notFound();
  return (
    <HealthQueryProvider>
      <Suspense
        fallback={<div className="h-64 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-busy="true" />}
      >
        <Queues cluster={cluster.name} id={cluster.id} />
      </Suspense>
    </HealthQueryProvider>
  );
}
