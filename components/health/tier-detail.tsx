"use client";

import type { TierView } from "@/server/cluster/health/health-views";
import { Card } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { LiveStatus } from "@/components/health/live-status";
import { NodesTable } from "@/components/health/nodes-table";
import { PodsTable } from "@/components/health/pods-table";
import { ProblemList } from "@/components/health/problem-list";
import { AlertsList } from "@/components/health/alerts-list";
import { SourceError, SourceErrors } from "@/components/health/source-errors";
import { NotProvisioned } from "@/components/health/not-provisioned";
import { useHealthQuery } from "@/components/health/use-health-query";
import { usePodFilter } from "@/components/health/use-pod-filter";
import { EventsCard } from "@/components/pods/events-table";

// One tier, live: status, problems, nodes and pods. A failing source shows in its own panel. The pod
// filters are part of the polled URL (the server filters); the last page stays on screen while the
// next one loads.
export function TierDetail({ cluster, initial, initialAt }: { cluster: string; initial: TierView; initialAt: number }) {
  const [filter, setFilter, url, filtered] = usePodFilter(
    `/api/clusters/${encodeURIComponent(cluster)}/health/tiers/${initial.tier.id}`,
  );
  const q = useHealthQuery<TierView>(url, filtered ? undefined : initial, filtered ? undefined : initialAt);
  const v = q.data ?? initial;
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="flex items-center gap-2 text-xl font-semibold">
          Tier {v.tier.id} · {v.tier.title}{" "}
          <span data-testid="tier-status">
            <StatusBadge status={v.provisioned === false ? "not provisioned" : v.tier.status} />
          </span>
        </h1>
        <LiveStatus
          reading={v}
          fetchedAt={q.dataUpdatedAt || initialAt}
          fetching={q.isFetching}
          error={q.error?.message ?? null}
        />
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-400">{v.tier.summary}</p>
      {v.provisioned === false ? <NotProvisioned cluster={cluster} /> : <SourceErrors sources={v.sources} />}
      <Card title="Problems">
        <ProblemList problems={v.problems} empty="Nothing wrong on this tier." cluster={cluster} />
      </Card>
      <Card title="Firing alerts">
        <AlertsList
          problems={v.problems}
          error={v.sources.alerts && !v.sources.alerts.ok ? v.sources.alerts.error : null}
          empty="No alert is firing on this tier."
        />
      </Card>
      <Card title="Nodes">
        {v.nodes ? (
          <NodesTable
            cluster={cluster}
            nodes={v.nodes}
            instances={v.instances}
            at={v.at}
            empty={
              v.provisioned === false
                ? "No node yet: the cluster is not provisioned."
                : `No node of tier ${v.tier.id} has joined the cluster.`
            }
          />
        ) : (
          <SourceError
            source="nodes"
            error={v.sources.nodes.error ?? undefined}
            className="text-sm text-amber-800 dark:text-amber-300"
          />
        )}
      </Card>
      <Card title="Pods">
        {v.pods ? (
          <PodsTable page={v.pods} filter={filter} onFilter={setFilter} at={v.at} />
        ) : (
          <SourceError
            source="pods"
            error={v.sources.pods.error ?? undefined}
            className="text-sm text-amber-800 dark:text-amber-300"
          />
        )}
      </Card>
      <EventsCard cluster={cluster} scope={{ tier: v.tier.id }} />
    </div>
  );
}
