import "server-only";

// Shared shapes of the health sources: problems, per-source results and the tier roll-up.

/** critical takes a tier down, warning degrades it, info is shown but decides nothing. */
export type Severity = "critical" | "warning" | "info";

import type { SourceName } from "@/lib/health-sources";

// The source names are the client-safe half of the registry (server/cluster/sources/registry.ts).
export { SOURCE_NAMES, type SourceName } from "@/lib/health-sources";

/** A detected problem, in words, with what it is about so the roll-up can place it on a tier. */
export type Problem = {
  type: string;
  severity: Severity;
  message: string;
  source: SourceName;
  hint: string;
  node?: string;
  namespace?: string;
  workload?: string;
  pod?: string;
  queue?: string;
  app?: string;
  /** Where a pod problem's cause can be read on the pod's page (components/pods/pod-href.ts builds the link). */
  evidence?: Evidence;
  /** The Alertmanager alert a problem of the alerts source is (server/cluster/sources/alerts.ts). */
  alert?: AlertRef;
};

/** A firing alert's name, labels' severity, start (ISO, UTC), fingerprint, silence and summary. */
export type AlertRef = {
  name: string;
  severity: string;
  startsAt: string;
  fingerprint: string;
  silenced: boolean;
  summary: string | null;
};

/** A pod page anchor: a container's log (previous: the crashed instance), the newest event of a reason, or a container's last termination. */
export type Evidence =
  | { kind: "log"; previous: boolean; container?: string }
  | { kind: "event"; reason?: string }
  | { kind: "container"; container: string };

/** One source's answer: its data, or the one-line error that made it unknown. */
export type SourceResult<T> =
  | { source: SourceName; ok: true; data: T; problems: Problem[]; durationMs: number }
  | { source: SourceName; ok: false; error: string; problems: Problem[]; durationMs: number };

export type HealthStatus = "ok" | "degraded" | "down" | "unknown";

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Sorts problems worst first, then by message, so lists are stable between refreshes. */
export function sortProblems(list: Problem[]): Problem[] {
  return [...list].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.message.localeCompare(b.message),
  );
}
