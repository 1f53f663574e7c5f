// Durations, deltas, ages and Kubernetes quantities as people read them. Client-safe and pure: the run,
// history and health views and the server all import these.

// Under 10 s a tenth of a second is kept, so a 0.4 s step does not read "0s" next to a 1 s one (and
// their difference is not "±0s").
/** "1h 02m", "3m 05s", "12s", "0.4s". */
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

// History labels: deltas, weeks, rates.

/** "+1m 05s" / "−30s" / "+0.6s" / "±0s": how much slower (+) or faster (−) run B was, as precise as the durations shown. */
export function formatDelta(ms: number): string {
  if (Math.abs(ms) < 50) return "±0s";
  return `${ms > 0 ? "+" : "−"}${formatDuration(Math.abs(ms))}`;
}

/** "Mar 16": a week's Monday as the chart axis shows it. */
export function formatWeek(week: string): string {
  return new Date(`${week}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

/** "80%", or "—" for a week with no finished run. */
export const formatRate = (r: number | null) => (r === null ? "—" : `${Math.round(r * 100)}%`);

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

// Kubernetes resource quantities (k8s.io/apimachinery pkg/api/resource/quantity.go): binary suffixes
// Ki..Ei, decimal k..E, "m" for milli, or a plain number with an optional exponent.
const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  m: 1e-3,
  "": 1,
};

/** A quantity's value ("8039036Ki" → 8232372864), or null when it is not one. */
export function parseQuantity(q: string | null | undefined): number | null {
  const m = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/.exec(q?.trim() ?? "");
  if (!m) return null;
  return Number(m[1]) * SUFFIX[m[2] ?? ""]!;
}

/** Bytes as people read them: "7.7 GiB", "512 MiB"; the raw text when it is not a quantity. */
export function formatBytes(q: string | null | undefined): string {
  const bytes = parseQuantity(q);
  if (bytes === null) return q ?? "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1).replace(/\.0$/, "")} ${units[i]}`;
}

/** CPU as cores: "2", "1.5", "250m" → "0.25". */
export function formatCpu(q: string | null | undefined): string {
  const cores = parseQuantity(q);
  return cores === null ? (q ?? "—") : String(Math.round(cores * 1000) / 1000);
}
