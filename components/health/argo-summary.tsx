"use client";

import Link from "next/link";
import type { OverviewView } from "@/server/cluster/health-views";
import { StatusBadge } from "@/components/ui/status-badge";
import { useHealthQuery } from "@/components/health/use-health-query";

// Argo CD at a glance: how many applications are synced and healthy, and which are not.
export function ArgoSummary({ cluster, initial, initialAt }: { cluster: string; initial: OverviewView; initialAt: number }) {
  const q = useHealthQuery<OverviewView>(`/api/clusters/${encodeURIComponent(cluster)}/health`, initial, initialAt);
  const h = q.data ?? initial;
  const a = h.argocd;
  const link = <Link className="text-sky-600 hover:underline" href={`/c/${encodeURIComponent(cluster)}/argocd`}>Applications</Link>;
  if (!a) return <p className="text-sm text-amber-700 dark:text-amber-400" data-testid="argo-summary">Argo CD is unknown: {h.sources.argocd.error}. {link}</p>;
  const ok = !a.outOfSync.length && !a.unhealthy.length;
  return (
    <div className="flex flex-col gap-1 text-sm" data-testid="argo-summary">
      <p className="flex items-center gap-2">
        <StatusBadge status={ok ? "ok" : "degraded"} /> {a.synced}/{a.total} synced · {a.healthy}/{a.total} healthy · {link}
      </p>
      {a.outOfSync.length ? <p>Out of sync: {a.outOfSync.join(", ")}</p> : null}
      {a.unhealthy.length ? <p>Not healthy: {a.unhealthy.join(", ")}</p> : null}
    </div>
  );
}
