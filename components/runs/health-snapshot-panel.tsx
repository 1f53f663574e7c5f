import { Card } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { ProblemList } from "@/components/health/problem-list";
import type { OverviewView } from "@/server/cluster/health/health-views";
import { formatUtc } from "@/components/ui/time";

// The cluster's tier health as stored when the run ended: what it looked like after this run.
export function HealthSnapshotPanel({
  capturedAt,
  data,
}: {
  capturedAt: Date;
  data: OverviewView | { error: string };
}) {
  return (
    <Card title={`Cluster health when the run ended (${formatUtc(capturedAt)})`}>
      {"error" in data ? (
        <p className="text-sm text-amber-700 dark:text-amber-400">{data.error}</p>
      ) : (
        <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-4" data-testid="health-snapshot">
          {data.tiers.map((t) => (
            <div key={t.id} className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
              <div className="mb-1 flex items-center justify-between gap-2 text-sm font-medium">
                Tier {t.id} · {t.title} <StatusBadge status={t.status} />
              </div>
              <ProblemList problems={t.reasons} limit={3} empty="All good." />
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}
