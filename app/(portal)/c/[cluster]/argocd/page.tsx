import type { Metadata } from "next";
import { Suspense } from "react";
import { notFound } from "next/navigation";
import { currentUser } from "@/server/auth/current-user";
import { hasRole } from "@/server/auth/roles";
import { findCluster } from "@/server/cluster/health/find-clusters";
import { getHealth } from "@/server/cluster/health/get-health";
import { argoView } from "@/server/cluster/health/health-views";
import { HealthQueryProvider } from "@/components/health/query-provider";
import { ArgoCdLive } from "@/components/health/argocd-live";
import { ArgoAppLinks } from "@/components/links/argo-app-links";

export const metadata: Metadata = { title: "Argo CD" };

async function Apps({ cluster }: { cluster: string }) {
  const [h, user] = await Promise.all([getHealth(cluster), currentUser()]);
  return <ArgoCdLive cluster={cluster} initial={argoView(h)} initialAt={Date.parse(h.at)} canOperate={hasRole(user?.role, "operator")} />;
}

// Argo CD applications of one cluster: sync, health, revision, last operation; Refresh and Sync for operators.
export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  const cluster = await findCluster(decodeURIComponent((await params).cluster));
  if (!cluster) notFound();
  return (
    <HealthQueryProvider>
      <Suspense fallback={<div className="h-64 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-busy="true" />}>
        <Apps cluster={cluster.name} />
        <ArgoAppLinks config={cluster.config} />
      </Suspense>
    </HealthQueryProvider>
  );
}
