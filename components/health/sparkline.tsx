// A dependency-free SVG sparkline: the overview shows five of them, and a chart library there would
// cost more JavaScript than the whole page's budget allows (the Queues page has the full recharts chart).
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const max = Math.max(1, ...values);
  const w = 100;
  const h = 32;
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`).join(" ");
  const last = values[values.length - 1] ?? 0;
  return (
    <svg
      viewBox={`0 0 ${w} ${h}`}
      preserveAspectRatio="none"
      className="h-full w-full"
      role="img"
      aria-label={`${label}: now ${last}, peak ${Math.max(...values)} in the last hour`}
    >
      <title>{`now ${last}, peak ${Math.max(...values)} in the last hour`}</title>
      <polyline points={points} fill="none" stroke="#0284c7" strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
