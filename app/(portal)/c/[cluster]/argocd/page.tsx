import type { Metadata } from "next";
import { Suspense } from "react";
import { notFound } from "next/navigation";
import { requireViewer } from "@/server/auth/require-user";
import { findCluster, getHealth } from "@/server/auth/page-reads";
import { argoView } from "@/server/cluster/health/health-views";
import { argoAppNamespaces, type ClusterConfig } from "@/server/config/clusters";
import { HealthQueryProvider } from "@/components/health/query-provider";
import { ArgoCdLive } from "@/components/health/argocd-live";
import { ArgoAppLinks } from "@/components/links/argo-app-links";

export const metadata: Metadata = { title: "Argo CD" };

async function Apps({ cluster, config }: { cluster: string; config: ClusterConfig }) {
  const [h, user] = await Promise.all([getHealth(cluster), requireViewer()]);
  return (
    <ArgoCdLive
      cluster={cluster}
      initial={argoView(h)}
      initialAt={Date.parse(h.at)}
      role={user.role}
      appNamespaces={argoAppNamespaces(config)}
    />
  );
}

// Argo CD applications of one cluster: sync, health, revision, last operation; Refresh and Sync for operators
// (prune for admins), on the Applications in the cluster's configured namespaces.
export default async function Page({ params }: { params: Promise<{ cluster: string }> }) {
  await requireViewer();
  const cluster = await findCluster(decodeURIComponent((await params).cluster));
  if (!cluster) notFound();
  return (
    <HealthQueryProvider>
      <Suspense
        fallback={<div className="h-64 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-busy="true" />}
      >
        <Apps cluster={cluster.name} config={cluster.config} />
        <ArgoAppLinks config={cluster.config} />
      </Suspense>
    </HealthQueryProvider>
  );
}
