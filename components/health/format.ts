// Times as on-call reads them: "12 s ago", "3 d".

/** "5 s", "3 min", "2 h", "4 d" since an ISO time or epoch ms. */
export function age(since: string | number | null | undefined, now = Date.now()): string {
  if (since === null || since === undefined) return "—";
  const ms = now - (typeof since === "number" ? since : Date.parse(since));
  if (!Number.isFinite(ms)) return "—";
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}
