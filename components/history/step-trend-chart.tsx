"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration, formatWeek } from "@/lib/format";
import { stackSteps } from "@/components/history/step-stack";
import type { StepTrends } from "@/server/history/find-step-trends";

// Where the time goes: each week's bar stacks the median of the longest steps (named in the legend) and the
// rest as one "other", so a step that grows stands out.
export function StepTrendChart({ trends }: { trends: StepTrends }) {
  const { series, rows } = stackSteps(trends);
  return (
    <div className="h-80" data-testid="step-trend-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} className="stroke-slate-200 dark:stroke-slate-800" />
          <XAxis dataKey="week" tickFormatter={formatWeek} fontSize={12} />
          <YAxis tickFormatter={(v: number) => formatDuration(v)} fontSize={12} width={56} />
          <Tooltip
            labelFormatter={(w) => `Week of ${formatWeek(String(w))} (median per step)`}
            formatter={(v) => (typeof v === "number" ? formatDuration(v) : "—")}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="steps" fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
