import type { Metadata } from "next";
import { Suspense } from "react";
import { notFound } from "next/navigation";
import { findTier } from "@/server/config/tiers";
import { requireViewer } from "@/server/auth/require-user";
import { findCluster, getHealth } from "@/server/auth/page-reads";
import { tierView } from "@/server/cluster/health/health-views";
import { HealthQueryProvider } from "@/components/health/query-provider";
import { TierDetail } from "@/components/health/tier-detail";
import { TierDeepLinks } from "@/components/links/tier-deep-links";

type Props = { params: Promise<{ cluster: string; tier: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = findTier((await params).tier);
  return { title: t ? `Tier ${t.id} · ${t.title}` : "Tier" };
}

async function Detail({ cluster, tier }: { cluster: string; tier: string }) {
  const h = await getHealth(cluster);
  const view = tierView(h, tier);
  if (!view) notFound();
  return <TierDetail cluster={cluster} initial={view} initialAt={Date.parse(h.at)} />;
}

// One tier: nodes, pods with filters, and its problems, refreshed live.
export default async function Page({ params }: Props) {
  const [p] = await Promise.all([params, requireViewer()]);
  const cluster = await findCluster(decodeURIComponent(p.cluster));
  if (!cluster || !findTier(p.tier)) notFound();
  return (
    <HealthQueryProvider>
      <TierDeepLinks config={cluster.config} tier={p.tier} />
      <Suspense
        fallback={<div className="h-64 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-busy="true" />}
      >
        <Detail cluster={cluster.name} tier={p.tier} />
      </Suspense>
    </HealthQueryProvider>
  );
}
