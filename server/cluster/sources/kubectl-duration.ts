import "server-only";

// kubectl's AGE column and the "(5m ago)" of RESTARTS. Behaviour ported from kubernetes
// staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go (HumanDuration) and
// pkg/printers/internalversion/printers.go (translateTimestampSince).

/** HumanDuration: about 2-3 significant figures ("119s", "3m10s", "70m", "2d1h", "2y1d"). */
export function humanDuration(ms: number): string {
  // Go truncates toward zero; up to 2 s in the future is taken as clock skew and printed as "0s".
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

const GO_ZERO_TIME = Date.parse("0001-01-01T00:00:00Z");

/** translateTimestampSince: the time since an API timestamp, "<unknown>" when there is none. */
export function timestampSince(ts: string | null | undefined, now: number): string {
  const t = ts ? Date.parse(ts) : NaN;
  // Go's zero time is how a client that set no timestamp serialises it; kubectl treats it as unset.
  return Number.isFinite(t) && t !== GO_ZERO_TIME ? humanDuration(now - t) : "<unknown>";
}
