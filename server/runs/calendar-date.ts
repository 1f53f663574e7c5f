// Date filters (YYYY-MM-DD) that name a real calendar day. Pure and free of server-only imports: proxy.ts
// uses it to answer 400 for /runs before the page renders, and search-runs.ts for the filters' schema.

/** True for "2026-02-28", false for "2026-13-45", "2026-02-30" or "yesterday". */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The first of `names` in `params` that is set but not a calendar date, with its value; null when all are fine. */
export function invalidDateParam(params: URLSearchParams, names: string[]): { name: string; value: string } | null {
  for (const name of names) {
    const value = params.get(name);
    if (value && !isCalendarDate(value)) return { name, value };
  }
  return null;
}
