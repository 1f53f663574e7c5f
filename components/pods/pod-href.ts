import type { Evidence } from "@/server/cluster/health/types";

// Links to a pod's page, optionally at its evidence: the log view (?log=previous&container=x#logs), the newest
// event of a reason (#event-BackOff) or a container's row (#container-x).

/** The pod page's URL, at `evidence` when given. */
export function podHref(cluster: string, namespace: string, pod: string, evidence?: Evidence): string {
  const base = `/c/${encodeURIComponent(cluster)}/pods/${encodeURIComponent(namespace)}/${encodeURIComponent(pod)}`;
  if (!evidence) return base;
  if (evidence.kind === "log") {
    const q = new URLSearchParams({
      log: evidence.previous ? "previous" : "current",
      ...(evidence.container ? { container: evidence.container } : {}),
    });
    return `${base}?${q}#logs`;
  }
  if (evidence.kind === "event") return `${base}#${evidence.reason ? eventAnchor(evidence.reason) : "events"}`;
  return `${base}#${containerAnchor(evidence.container)}`;
}

/** The id of the newest event row of a reason. */
export const eventAnchor = (reason: string) => `event-${reason.replace(/[^A-Za-z0-9_-]/g, "_")}`;
/** The id of a container's row. */
export const containerAnchor = (name: string) => `container-${name}`;

/** What the evidence link says. */
export function evidenceLabel(e: Evidence | undefined): string {
  if (!e) return "Pod page";
  if (e.kind === "log") return e.previous ? "Crash output (previous log)" : "Log";
  if (e.kind === "event") return e.reason ? `${e.reason} event` : "Events";
  return `Container ${e.container}`;
}
