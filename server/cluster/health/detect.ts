import "server-only";
import { alertProblems, type AlertInfo } from "@/server/cluster/sources/alerts";
import { appProblems, type AppInfo } from "@/server/cluster/sources/argocd";
import { controlPlaneProblems, type ControlPlane } from "@/server/cluster/sources/control-plane";
import { ec2Problems, type Ec2Instance } from "@/server/cluster/sources/ec2";
import { monitoringProblems, type MonitoringComponent } from "@/server/cluster/sources/monitoring";
import { nodeProblems, type NodeInfo } from "@/server/cluster/sources/nodes";
import { podProblems, type PodInfo } from "@/server/cluster/sources/pods";
import { queueProblems, type DepthPoint, type QueueInfo } from "@/server/cluster/sources/rabbitmq";
import type { Problem, SourceName } from "@/server/cluster/health/types";

// Problems of every source from their data; the sources that need each other (EC2 and nodes, pods
// and nodes) are matched here, after all of them answered or failed.

/** Every source's data; null where the source failed. */
export type HealthData = {
  ec2: Ec2Instance[] | null;
  nodes: NodeInfo[] | null;
  pods: PodInfo[] | null;
  controlPlane: ControlPlane | null;
  monitoring: MonitoringComponent[] | null;
  rabbitmq: QueueInfo[] | null;
  argocd: AppInfo[] | null;
  /** Firing alerts (absent in snapshots stored before the alerts source existed). */
  alerts?: AlertInfo[] | null;
};

/** The problems each source's data shows. */
export function detectProblems(d: HealthData, now: number, history: Record<string, DepthPoint[]> = {}, expectedQueues: readonly string[] = []): Record<SourceName, Problem[]> {
  const notReady = new Set((d.nodes ?? []).filter((n) => n.ready !== "True").map((n) => n.name));
  return {
    ec2: d.ec2 ? ec2Problems(d.ec2, d.nodes) : [],
    nodes: d.nodes ? nodeProblems(d.nodes) : [],
    pods: d.pods ? podProblems(d.pods, now, notReady) : [],
    controlPlane: d.controlPlane ? controlPlaneProblems(d.controlPlane) : [],
    monitoring: d.monitoring ? monitoringProblems(d.monitoring) : [],
    rabbitmq: d.rabbitmq ? queueProblems(d.rabbitmq, history, now, expectedQueues) : [],
    argocd: d.argocd ? appProblems(d.argocd) : [],
    alerts: d.alerts ? alertProblems(d.alerts, d.nodes ?? [], d.pods ?? []) : [],
  };
}
