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
const SUFFIX: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3, "": 1 };

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
