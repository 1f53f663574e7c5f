// The step-duration chart's series: a stack of 16 colours nobody can tell apart says nothing, so the steps
// that take the most time get their own colour and name in the legend, and the rest share one grey "other".

type Trends = { steps: { key: string; title: string }[]; weeks: { week: string; p50Ms: Record<string, number> }[] };

/** Colours for the named series; "other" is grey. */
export const STEP_COLORS = ["#0284c7", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2"];
export const OTHER_KEY = "__other";

/** The series to stack (biggest first, at most `max` named plus "other") and each week's row of values. */
export function stackSteps(
  t: Trends,
  max = STEP_COLORS.length,
): { series: { key: string; name: string; color: string }[]; rows: Record<string, number | string>[] } {
  const total = new Map<string, number>();
  for (const w of t.weeks) for (const [k, v] of Object.entries(w.p50Ms)) total.set(k, (total.get(k) ?? 0) + v);
  const ranked = [...t.steps].filter((s) => total.has(s.key)).sort((a, b) => total.get(b.key)! - total.get(a.key)!);
  // Folding a single step into "other" would only rename it.
  const named = ranked.length <= max + 1 ? ranked : ranked.slice(0, max);
  const rest = ranked.slice(named.length);
  const series = named.map((s, i) => ({ key: s.key, name: s.title, color: STEP_COLORS[i % STEP_COLORS.length]! }));
  if (rest.length) series.push({ key: OTHER_KEY, name: `Other ${rest.length} steps`, color: "#94a3b8" });
  const rows = t.weeks.map((w) => {
    const row: Record<string, number | string> = { week: w.week };
    for (const s of named) if (w.p50Ms[s.key] !== undefined) row[s.key] = w.p50Ms[s.key]!;
    const other = rest.reduce((n, s) => n + (w.p50Ms[s.key] ?? 0), 0);
    if (rest.length && other) row[OTHER_KEY] = other;
    return row;
  });
  return { series, rows };
}
