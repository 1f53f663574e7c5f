"use client";

import type { TierView } from "@/server/cluster/health-views";
import { Card } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { LiveStatus } from "@/components/health/live-status";
import { NodesTable } from "@/components/health/nodes-table";
import { PodsTable } from "@/components/health/pods-table";
import { ProblemList } from "@/components/health/problem-list";
import { SourceErrors } from "@/components/health/source-errors";
import { useHealthQuery } from "@/components/health/use-health-query";
import { usePodFilter } from "@/components/health/use-pod-filter";
import { EventsCard } from "@/components/pods/events-table";

// One tier, live: status, problems, nodes and pods. A failing source shows in its own panel. The pod
// filters are part of the polled URL (the server filters); the last page stays on screen while the
// next one loads.
export function TierDetail({ cluster, initial, initialAt }: { cluster: string; initial: TierView; initialAt: number }) {
  const [filter, setFilter, url, filtered] = usePodFilter(`/api/clusters/${encodeURIComponent(cluster)}/health/tiers/${initial.tier.id}`);
  const q = useHealthQuery<TierView>(url, filtered ? undefined : initial, filtered ? undefined : initialAt);
  const v = q.data ?? initial;
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="flex items-center gap-2 text-xl font-semibold">
          Tier {v.tier.id} · {v.tier.title} <span data-testid="tier-status"><StatusBadge status={v.tier.status} /></span>
        </h1>
        <LiveStatus reading={v} fetchedAt={q.dataUpdatedAt || initialAt} fetching={q.isFetching} error={q.error?.message ?? null} />
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-400">{v.tier.summary}</p>
      <SourceErrors sources={v.sources} />
      <Card title="Problems">
        <ProblemList problems={v.problems} empty="Nothing wrong on this tier." cluster={cluster} />
      </Card>
      <Card title="Nodes">
        {v.nodes ? <NodesTable cluster={cluster} nodes={v.nodes} instances={v.instances} /> : <p className="text-sm text-amber-700">Nodes are unknown: {v.sources.nodes.error}</p>}
      </Card>
      <Card title="Pods">
        {v.pods ? <PodsTable page={v.pods} filter={filter} onFilter={setFilter} /> : <p className="text-sm text-amber-700">Pods are unknown: {v.sources.pods.error}</p>}
      </Card>
      <EventsCard cluster={cluster} scope={{ tier: v.tier.id }} />
    </div>
  );
}
