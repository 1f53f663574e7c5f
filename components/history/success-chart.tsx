"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatRate, formatWeek } from "@/lib/format";
import type { DurationWeek } from "@/server/history/find-duration-trends";

// Share of finished runs that succeeded, per week (cancelled runs are left out: cancelling is a choice, not an outcome).
export function SuccessChart({ weeks }: { weeks: DurationWeek[] }) {
  return (
    <div className="h-48" data-testid="success-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={weeks} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} className="stroke-slate-200 dark:stroke-slate-800" />
          <XAxis dataKey="week" tickFormatter={formatWeek} fontSize={12} />
          <YAxis domain={[0, 1]} tickFormatter={(v: number) => formatRate(v)} fontSize={12} width={48} />
          <Tooltip
            labelFormatter={(w) => `Week of ${formatWeek(String(w))}`}
            formatter={(v, _n, item) => {
              const d = item.payload as DurationWeek;
              return [`${formatRate(typeof v === "number" ? v : null)} (${d.succeeded} of ${d.finished})`, "succeeded"];
            }}
          />
          <Bar dataKey="successRate" fill="#059669" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
