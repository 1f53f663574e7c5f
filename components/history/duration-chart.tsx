"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration, formatWeek } from "@/lib/format";
import type { DurationWeek } from "@/server/history/find-duration-trends";

// p50 and p90 duration of succeeded runs per week; weeks with no success leave a gap rather than a zero.
export function DurationChart({ weeks }: { weeks: DurationWeek[] }) {
  return (
    <div className="h-64" data-testid="duration-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={weeks} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" />
          <XAxis dataKey="week" tickFormatter={formatWeek} fontSize={12} />
          <YAxis tickFormatter={(v: number) => formatDuration(v)} fontSize={12} width={64} domain={[0, "auto"]} />
          <Tooltip
            labelFormatter={(w) => `Week of ${formatWeek(String(w))}`}
            formatter={(v) => (typeof v === "number" ? formatDuration(v) : "—")}
          />
          <Legend />
          <Line
            name="p50"
            dataKey="p50Ms"
            stroke="#0284c7"
            strokeWidth={2}
            connectNulls={false}
            isAnimationActive={false}
          />
          <Line
            name="p90"
            dataKey="p90Ms"
            stroke="#f59e0b"
            strokeWidth={2}
            strokeDasharray="4 3"
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
