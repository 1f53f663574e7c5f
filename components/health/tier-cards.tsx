"use client";

import Link from "next/link";
import type { OverviewView } from "@/server/cluster/health/health-views";
import { StatusBadge } from "@/components/ui/status-badge";
import { LiveStatus } from "@/components/health/live-status";
import { ProblemList } from "@/components/health/problem-list";
import { SourceErrors } from "@/components/health/source-errors";
import { NotProvisioned } from "@/components/health/not-provisioned";
import { explainSourceError } from "@/components/health/explain-error";
import { useHealthQuery } from "@/components/health/use-health-query";

// One card per tier: its status and the top reasons that decided it, refreshed live.
export function TierCards({
  cluster,
  initial,
  initialAt,
  onOverview = false,
}: {
  cluster: string;
  initial: OverviewView;
  initialAt: number;
  onOverview?: boolean;
}) {
  const q = useHealthQuery<OverviewView>(`/api/clusters/${encodeURIComponent(cluster)}/health`, initial, initialAt);
  const h = q.data ?? initial;
  // Never provisioned (or torn down): one notice, and tiers marked as such instead of a wall of red.
  const absent = h.provisioned === false;
  return (
    <section className="flex flex-col gap-3" aria-label="Tier health">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="flex items-center gap-2 text-sm font-semibold">
          Cluster health{" "}
          <span data-testid="cluster-status">
            <StatusBadge status={absent ? "not provisioned" : h.status} />
          </span>
        </h2>
        <LiveStatus
          reading={h}
          fetchedAt={q.dataUpdatedAt || initialAt}
          fetching={q.isFetching}
          error={q.error?.message ?? null}
        />
      </div>
      {absent ? <NotProvisioned cluster={cluster} onOverview={onOverview} /> : <SourceErrors sources={h.sources} />}
      <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-4">
        {h.tiers.map((t) => (
          <article
            key={t.id}
            data-testid={`tier-card-${t.id}`}
            data-status={absent ? "not-provisioned" : t.status}
            className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
          >
            <header className="flex items-start justify-between gap-2">
              <Link href={`/c/${encodeURIComponent(cluster)}/tiers/${t.id}`} className="font-medium hover:underline">
                Tier {t.id} · {t.title}
              </Link>
              <StatusBadge status={absent ? "not provisioned" : t.status} />
            </header>
            <p className="text-xs text-slate-500">
              {t.nodes.filter((n) => n.ready).length}/{t.nodes.length} nodes ready · {t.pods.ready}/{t.pods.total} pods
              ready
            </p>
            {absent ? (
              <p className="text-xs text-slate-600 dark:text-slate-400">
                No node yet: they come up when the cluster is provisioned.
              </p>
            ) : (
              <>
                <ProblemList problems={t.reasons} limit={3} empty="All good." cluster={cluster} />
                {t.unknown.map((u) => (
                  <p key={u.source} className="text-xs text-amber-700 dark:text-amber-400" title={u.error}>
                    {explainSourceError(u.source, u.error).text}
                  </p>
                ))}
              </>
            )}
          </article>
        ))}
      </div>
    </section>
  );
}

/** Placeholder while the first collection runs. */
export function TierCardsSkeleton() {
  return (
    <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-4" aria-busy="true">
      {[1, 2, 3, 4].map((i) => (
        <div key={i} className="h-36 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" />
      ))}
    </div>
  );
}
