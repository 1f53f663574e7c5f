import { Suspense } from "react";
import { getHealth, queueSeries, requireCluster, WITHOUT_PODS } from "@/server/cluster/health/get-health";
import { overviewView, queuesView } from "@/server/cluster/health/health-views";
import { Card } from "@/components/ui/card";
import { HealthQueryProvider } from "@/components/health/query-provider";
import { TierCards, TierCardsSkeleton } from "@/components/health/tier-cards";
import { ArgoSummary } from "@/components/health/argo-summary";
import { AlertsOverview } from "@/components/health/alerts-overview";
import { QueueSparklines } from "@/components/health/queue-sparklines";

// The overview's health widgets: server components that load the first snapshot, each in its own
// Suspense boundary, handing it to the live client part.

async function TierCardsLoader({ cluster }: { cluster: string }) {
  const h = await getHealth(cluster, WITHOUT_PODS);
  return <TierCards cluster={cluster} initial={overviewView(h)} initialAt={Date.parse(h.at)} onOverview />;
}

async function ArgoLoader({ cluster }: { cluster: string }) {
  const h = await getHealth(cluster, WITHOUT_PODS);
  return <ArgoSummary cluster={cluster} initial={overviewView(h)} initialAt={Date.parse(h.at)} />;
}

async function QueuesLoader({ cluster }: { cluster: string }) {
  const [h, c] = await Promise.all([getHealth(cluster, WITHOUT_PODS), requireCluster(cluster)]);
  const series = await queueSeries(c.id, "1h");
  return (
    <QueueSparklines
      cluster={cluster}
      initial={{ ...queuesView(h), range: "1h", series }}
      initialAt={Date.parse(h.at)}
    />
  );
}

async function AlertsLoader({ cluster }: { cluster: string }) {
  const h = await getHealth(cluster, WITHOUT_PODS);
  return <AlertsOverview cluster={cluster} initial={overviewView(h)} initialAt={Date.parse(h.at)} />;
}

const Pulse = ({ h }: { h: string }) => (
  <div className={`${h} animate-pulse rounded bg-slate-100 dark:bg-slate-800`} aria-busy="true" />
);

/** Tier cards, queue sparklines and the Argo CD summary for a cluster's overview page. */
export function HealthOverview({ cluster }: { cluster: string }) {
  return (
    <HealthQueryProvider>
      <Suspense fallback={<TierCardsSkeleton />}>
        <TierCardsLoader cluster={cluster} />
      </Suspense>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Queues (last hour)" className="lg:col-span-2">
          <Suspense fallback={<Pulse h="h-20" />}>
            <QueuesLoader cluster={cluster} />
          </Suspense>
        </Card>
        <Card title="Argo CD">
          <Suspense fallback={<Pulse h="h-12" />}>
            <ArgoLoader cluster={cluster} />
          </Suspense>
        </Card>
      </div>
      <Card title="Firing alerts">
        <Suspense fallback={<Pulse h="h-12" />}>
          <AlertsLoader cluster={cluster} />
        </Suspense>
      </Card>
    </HealthQueryProvider>
  );
}
