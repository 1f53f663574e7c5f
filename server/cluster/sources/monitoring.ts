import "server-only";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { isReady, listPods, type PodInfo } from "@/server/cluster/sources/pods";
import type { Problem } from "@/server/cluster/health/types";

// The monitoring stack (kube-prometheus-stack): Prometheus, Grafana and Alertmanager ready.

export type MonitoringComponent = {
  name: "Prometheus" | "Grafana" | "Alertmanager";
  workload: string | null;
  ready: number;
  total: number;
  status: "ok" | "down" | "missing";
};

const MATCH: [MonitoringComponent["name"], (w: string) => boolean][] = [
  ["Prometheus", (w) => /^prometheus-/.test(w) || w === "prometheus"],
  ["Grafana", (w) => w.includes("grafana")],
  ["Alertmanager", (w) => w.includes("alertmanager")],
];

/** Each component's ready pods, from the monitoring namespace's pods. */
export function toMonitoring(pods: PodInfo[]): MonitoringComponent[] {
  return MATCH.map(([name, match]) => {
    const mine = pods.filter((p) => match(p.workload));
    const ready = mine.filter(isReady).length;
    return {
      name,
      workload: mine[0]?.workload ?? null,
      ready,
      total: mine.length,
      status: !mine.length ? "missing" : ready ? "ok" : "down",
    };
  });
}

/** A component down or missing degrades tier 1 (the cluster runs without it, but blind). */
export function monitoringProblems(components: MonitoringComponent[]): Problem[] {
  return components
    .filter((c) => c.status !== "ok")
    .map((c) => ({
      type: `monitoring-${c.status}`,
      severity: "warning" as const,
      source: "monitoring" as const,
      namespace: "monitoring",
      workload: c.workload ?? undefined,
      message:
        c.status === "missing"
          ? `${c.name} is not installed in the monitoring namespace`
          : `${c.name} is down: 0/${c.total} pods ready`,
      hint: "Run check-monitoring-status.sh; kubectl get pods -n monitoring",
    }));
}

/** Reads the monitoring namespace's pods. */
export async function readMonitoring(kc: KubeTarget, signal: AbortSignal): Promise<MonitoringComponent[]> {
  return toMonitoring(await listPods(kc, signal, { namespace: "monitoring" }));
}
