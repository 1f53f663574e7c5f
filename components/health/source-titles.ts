import type { SourceName } from "@/server/cluster/health/types";

// What each health source is called on screen and in the CLI.
export const SOURCE_TITLES: Record<SourceName, string> = {
  ec2: "EC2 instances",
  nodes: "Nodes",
  pods: "Pods",
  controlPlane: "Control plane",
  monitoring: "Monitoring stack",
  rabbitmq: "RabbitMQ",
  argocd: "Argo CD",
  alerts: "Alertmanager alerts",
};
