import "server-only";
import type { PodInfo } from "@/server/cluster/sources/pods";
import type { Evidence, Problem } from "@/server/cluster/health/types";

// Where each pod problem's cause can be read on the pod page: the crashed instance's log for a crash loop, the
// kubelet's or scheduler's event for the rest (reasons from pkg/kubelet/events/event.go and the scheduler's
// FailedScheduling), and the container's last termination for an OOM kill, which leaves no last words.

/** The evidence for a pod problem of `type` about pod `p`, if the pod page holds one. */
export function evidenceFor(type: string, p: PodInfo): Evidence | undefined {
  const container = p.lastRestartContainer;
  switch (type) {
    case "pod-crashloop":
      return { kind: "log", previous: true, ...(container ? { container } : {}) };
    case "pod-image":
      return { kind: "event", reason: "Failed" };
    case "pod-oomkilled": {
      const oom = p.terminations?.find((t) => t.reason === "OOMKilled")?.container ?? container;
      return oom ? { kind: "container", container: oom } : { kind: "event", reason: "BackOff" };
    }
    case "pod-pending":
      // A gated pod has no event: the scheduler never looked at it.
      return p.status === "SchedulingGated" ? undefined : { kind: "event", reason: "FailedScheduling" };
    case "pod-not-ready":
      return { kind: "event", reason: "Unhealthy" };
    case "pod-terminating":
      return { kind: "event", reason: "Killing" };
    case "pod-failed":
      return { kind: "event" };
    default:
      return undefined;
  }
}

/** The problem with its evidence attached (the same object when there is none). */
export function withEvidence(problem: Problem, p: PodInfo): Problem {
  const evidence = evidenceFor(problem.type, p);
  return evidence ? { ...problem, evidence } : problem;
}
