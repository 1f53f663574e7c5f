"use client";

import Link from "next/link";
import { Sparkline } from "@/components/health/sparkline";
import type { QueuesPayload } from "@/components/health/queue-types";
import { useHealthQuery } from "@/components/health/use-health-query";
import { SourceError } from "@/components/health/source-errors";

// A sparkline of the last hour per queue, next to its depth now and its consumers.
export function QueueSparklines({
  cluster,
  initial,
  initialAt,
}: {
  cluster: string;
  initial: QueuesPayload;
  initialAt: number;
}) {
  const q = useHealthQuery<QueuesPayload>(
    `/api/clusters/${encodeURIComponent(cluster)}/health/queues?range=1h`,
    initial,
    initialAt,
  );
  const d = q.data ?? initial;
  if (d.provisioned === false)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="queues-none">
        No queues: the cluster is not provisioned.
      </p>
    );
  if (!d.queues)
    return (
      <div className="text-sm text-amber-800 dark:text-amber-300">
        <SourceError source="rabbitmq" error={d.sources.rabbitmq.error ?? undefined} />
      </div>
    );
  if (!d.queues.length)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="queues-none">
        RabbitMQ has no queues yet.
      </p>
    );
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5" data-testid="queue-sparklines">
      {d.queues.map((queue) => {
        const points = d.series.filter((p) => p.queue === queue.name);
        return (
          <Link
            key={queue.name}
            href={`/c/${encodeURIComponent(cluster)}/queues`}
            className="rounded-md border border-slate-200 p-2 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/50"
            data-testid={`queue-${queue.name}`}
          >
            <p className="flex justify-between text-xs">
              <span className="font-medium">{queue.name}</span>
              <span data-testid="queue-depth">{queue.messages}</span>
            </p>
            <div className="h-10">
              {points.length > 1 ? (
                <Sparkline values={points.map((p) => p.messages)} label={`${queue.name} depth`} />
              ) : (
                <p className="pt-2 text-xs text-slate-400">collecting samples…</p>
              )}
            </div>
            <p className="text-xs text-slate-500">{queue.consumers} consumers</p>
          </Link>
        );
      })}
    </div>
  );
}
