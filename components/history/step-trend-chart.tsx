"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration, formatWeek } from "@/components/history/format";
import type { StepTrends } from "@/server/history/find-step-trends";

// Where the time goes: each week's bar stacks the median of every step, so a step that grows stands out.
const COLORS = ["#0284c7", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#dc2626", "#4f46e5", "#ca8a04", "#0d9488", "#9333ea"];

export function StepTrendChart({ trends }: { trends: StepTrends }) {
  const data = trends.weeks.map((w) => ({ week: w.week, ...w.p50Ms }));
  return (
    <div className="h-72" data-testid="step-trend-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} className="stroke-slate-200 dark:stroke-slate-800" />
          <XAxis dataKey="week" tickFormatter={formatWeek} fontSize={12} />
          <YAxis tickFormatter={(v: number) => formatDuration(v)} fontSize={12} width={64} />
          <Tooltip labelFormatter={(w) => `Week of ${formatWeek(String(w))} (median per step)`} formatter={(v) => (typeof v === "number" ? formatDuration(v) : "—")} />
          {trends.steps.map((s, i) => (
            <Bar key={s.key} dataKey={s.key} name={s.title} stackId="steps" fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
