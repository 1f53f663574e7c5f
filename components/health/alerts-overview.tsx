"use client";

import type { OverviewView } from "@/server/cluster/health/health-views";
import { AlertsList } from "@/components/health/alerts-list";
import { useHealthQuery } from "@/components/health/use-health-query";

// The overview's firing alerts, live with the rest of the overview (same polled reading as the tier cards).
export function AlertsOverview({
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
  if (h.provisioned === false)
    return <p className="text-sm text-slate-600 dark:text-slate-400">No alerts: the cluster is not provisioned.</p>;
  // Old readings (before the alerts source) have no entry for it.
  const src = h.sources.alerts as OverviewView["sources"]["alerts"] | undefined;
  return <AlertsList problems={h.tiers.flatMap((t) => t.reasons)} error={src && !src.ok ? src.error : null} />;
}
