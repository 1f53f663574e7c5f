"use client";

import Link from "next/link";
import type { OverviewView } from "@/server/cluster/health/health-views";
import { StatusBadge } from "@/components/ui/status-badge";
import { SourceError } from "@/components/health/source-errors";
import { useHealthQuery } from "@/components/health/use-health-query";

// Argo CD at a glance: how many applications are synced and healthy, and which are not.
export function ArgoSummary({
  cluster,
  initial,
  initialAt,
}: {
  cluster: string;
  initial: OverviewView;
  initialAt: number;
}) {
  const q = useHealthQuery<OverviewView>(`/api/clusters/${encodeURIComponent(cluster)}/health`, initial, initialAt);
  const h = q.data ?? initial;
  const a = h.argocd;
  const link = (
    <Link className="text-sky-600 hover:underline" href={`/c/${encodeURIComponent(cluster)}/argocd`}>
      Applications
    </Link>
  );
  if (h.provisioned === false)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="argo-summary">
        No applications: the cluster is not provisioned.
      </p>
    );
  if (!a)
    return (
      <div className="text-sm text-amber-800 dark:text-amber-300" data-testid="argo-summary">
        <SourceError source="argocd" error={h.sources.argocd.error ?? undefined} /> {link}
      </div>
    );
  // No application at all is not "ok 0/0 synced": Argo CD is missing or has nothing to deploy.
  if (!a.total)
    return (
      <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="argo-summary">
        <StatusBadge status="none" /> No Argo CD application is registered (Argo CD may not be installed yet). {link}
      </p>
    );
  const ok = !a.outOfSync.length && !a.unhealthy.length;
  return (
    <div className="flex flex-col gap-1 text-sm" data-testid="argo-summary">
      <p className="flex items-center gap-2">
        <StatusBadge status={ok ? "ok" : "degraded"} /> {a.synced}/{a.total} synced · {a.healthy}/{a.total} healthy ·{" "}
        {link}
      </p>
      {a.outOfSync.length ? <p>Out of sync: {a.outOfSync.join(", ")}</p> : null}
      {a.unhealthy.length ? <p>Not healthy: {a.unhealthy.join(", ")}</p> : null}
    </div>
  );
}
