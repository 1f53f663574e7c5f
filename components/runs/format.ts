// "1h 02m", "3m 05s", "12s", "0.4s": durations as people read them. Under 10 s a tenth of a second is
// kept, so a 0.4 s step does not read "0s" next to a 1 s one (and their difference is not "±0s").
export function formatDuration(ms: number): string {
  if (ms > 0 && ms < 9_950) return `${(Math.round(ms / 100) / 10).toString()}s`;
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h ${String(m).padStart(2, "0")}m`;
  if (m) return `${m}m ${String(sec).padStart(2, "0")}s`;
  return `${sec}s`;
}
