"use client";

import { useMemo, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Range } from "@/server/cluster/health/queue-samples";
import { Card } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { LiveStatus } from "@/components/health/live-status";
import { ProblemList } from "@/components/health/problem-list";
import { SourceError } from "@/components/health/source-errors";
import { NotProvisioned } from "@/components/health/not-provisioned";
import type { QueuesPayload } from "@/components/health/queue-types";
import { useHealthQuery } from "@/components/health/use-health-query";
import { formatUtc, timeTicks } from "@/components/ui/time";

// Queues now (table) and their depth over the last hour, day or 14 days (stored 15 s samples, downsampled).
const COLORS = ["#0284c7", "#16a34a", "#d97706", "#7c3aed", "#dc2626", "#0891b2"];
const RANGE_LABEL: Record<Range, string> = { "1h": "Last hour", "24h": "24 hours", "14d": "14 days" };

export function QueuesLive({
  cluster,
  initial,
  initialAt,
}: {
  cluster: string;
  initial: QueuesPayload;
  initialAt: number;
}) {
  const [range, setRange] = useState<Range>("1h");
  const q = useHealthQuery<QueuesPayload>(
    `/api/clusters/${encodeURIComponent(cluster)}/health/queues?range=${range}`,
    range === "1h" ? initial : undefined,
    range === "1h" ? initialAt : undefined,
  );
  const d = q.data ?? initial;
  const names = useMemo(() => [...new Set(d.series.map((p) => p.queue))].sort(), [d.series]);
  const rows = useMemo(() => {
    const byTime = new Map<number, Record<string, number>>();
    for (const p of d.series)
      (byTime.get(p.time) ?? byTime.set(p.time, { time: p.time }).get(p.time)!)[p.queue] = p.messages;
    return [...byTime.values()].sort((a, b) => a.time! - b.time!);
  }, [d.series]);
  // Round, distinct UTC ticks: the chart's automatic ones repeated "09:34" when the samples spanned minutes.
  const axis = useMemo(() => timeTicks(rows[0]?.time ?? 0, rows[rows.length - 1]?.time ?? 0, 6), [rows]);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-xl font-semibold">Queues · {cluster}</h1>
        <LiveStatus
          reading={d}
          fetchedAt={q.dataUpdatedAt || initialAt}
          fetching={q.isFetching}
          error={q.error?.message ?? null}
        />
      </div>
      {d.provisioned === false ? (
        <NotProvisioned cluster={cluster} />
      ) : d.queues ? null : (
        <div role="status" className="text-sm text-amber-800 dark:text-amber-300">
          <SourceError source="rabbitmq" error={d.sources.rabbitmq.error ?? undefined} />
        </div>
      )}
      <Card title="Problems">
        <ProblemList problems={d.problems} empty="No queue problems." />
      </Card>
      {d.queues ? (
        <Card title="Queues">
          <Table>
            <thead>
              <tr>
                <Th>Queue</Th>
                <Th>Messages</Th>
                <Th>Ready</Th>
                <Th>Unacked</Th>
                <Th>Consumers</Th>
                <Th>Publish /s</Th>
                <Th>Deliver /s</Th>
              </tr>
            </thead>
            <tbody>
              {d.queues.length === 0 ? (
                <tr data-testid="queues-empty">
                  <Td colSpan={7} className="text-slate-600 dark:text-slate-400">
                    RabbitMQ has no queues yet.
                  </Td>
                </tr>
              ) : null}
              {d.queues.map((x) => (
                <tr key={x.name} data-testid={`queue-row-${x.name}`}>
                  <Td className="font-medium">{x.name}</Td>
                  <Td>{x.messages}</Td>
                  <Td>{x.ready}</Td>
                  <Td>{x.unacked}</Td>
                  <Td>{x.consumers}</Td>
                  <Td>{x.publishRate}</Td>
                  <Td>{x.deliverRate}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      ) : null}
      <Card
        title="Depth over time (UTC)"
        action={
          <div className="flex gap-1" role="group" aria-label="Range">
            {(Object.keys(RANGE_LABEL) as Range[]).map((r) => (
              <button
                key={r}
                type="button"
                aria-pressed={range === r}
                onClick={() => setRange(r)}
                className={`rounded px-2 py-0.5 text-xs ${range === r ? "bg-sky-600 text-white" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
              >
                {RANGE_LABEL[r]}
              </button>
            ))}
          </div>
        }
      >
        {rows.length > 1 ? (
          <div className="h-72" data-testid="depth-chart">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={rows}>
                <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
                <XAxis
                  dataKey="time"
                  type="number"
                  domain={["dataMin", "dataMax"]}
                  scale="time"
                  ticks={axis.ticks}
                  tickFormatter={axis.label}
                  fontSize={11}
                />
                <YAxis allowDecimals={false} fontSize={11} width={48} />
                <Tooltip labelFormatter={(t) => formatUtc(Number(t))} />
                <Legend />
                {names.map((n, i) => (
                  <Line
                    key={n}
                    dataKey={n}
                    dot={false}
                    isAnimationActive={false}
                    stroke={COLORS[i % COLORS.length]}
                    strokeWidth={1.5}
                    connectNulls
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {d.provisioned === false
              ? "No samples: there are no queues until the cluster is provisioned."
              : "No samples in this range yet: the worker samples depths every 15 s."}
          </p>
        )}
      </Card>
    </div>
  );
}
