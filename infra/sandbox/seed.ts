// The seed cluster (seed-summary.md): 4 nodes and every workload, grouped by the phase that installs it.
import type { Phase } from "./types";

// One node of the topology and the EC2 instance under it.
export interface NodeSpec {
  name: string;
  role: "master" | "api-worker" | "async-worker" | "storage" | "worker";
  tier: string;
  instanceType: "t3.large" | "t3.medium";
  diskGb: number;
  zone: string;
  ip: string;
}

// One controller and the pods it owns.
export interface WorkloadSpec {
  phase: Phase;
  namespace: string;
  name: string;
  kind: "Deployment" | "StatefulSet" | "DaemonSet" | "Static";
  replicas: number;
  // Node for every replica, or one per replica; DaemonSets ignore it.
  nodes: string[];
  image: string;
  // Restart counts a long-running real cluster shows, per replica.
  restarts?: number[];
  labels?: Record<string, string>;
  argoApp?: string;
}

// The 4 seed nodes with the seed's instance types and disks.
export const SEED_NODES: NodeSpec[] = [
  { name: "master", role: "master", tier: "1", instanceType: "t3.large", diskGb: 80, zone: "ap-northeast-2a", ip: "10.0.1.10" },
  { name: "worker-1", role: "api-worker", tier: "2", instanceType: "t3.medium", diskGb: 40, zone: "ap-northeast-2b", ip: "10.0.2.11" },
  { name: "worker-2", role: "async-worker", tier: "2", instanceType: "t3.medium", diskGb: 40, zone: "ap-northeast-2c", ip: "10.0.3.12" },
  { name: "storage", role: "storage", tier: "3-4", instanceType: "t3.large", diskGb: 100, zone: "ap-northeast-2a", ip: "10.0.1.20" },
];

// Extra worker nodes for scale mode (benchmarks), spread over the 3 zones.
export function scaleNodes(total: number): NodeSpec[] {
  const nodes = [...SEED_NODES];
  const zones = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"];
  for (let i = 3; nodes.length < total; i++) {
    const n = nodes.length;
    nodes.push({
      name: `worker-${i}`, role: "worker", tier: "2", instanceType: "t3.medium", diskGb: 40,
      zone: zones[n % 3]!, ip: `10.0.${(n % 3) + 1 + 3 * Math.floor(n / 250)}.${(n % 250) + 2}`,
    });
  }
  return nodes.slice(0, Math.max(total, 4));
}

const K8S = "registry.k8s.io";
const M = ["master"];
const S = ["storage"];
const W1 = ["worker-1"];
const W2 = ["worker-2"];

// Every workload the seed lists, in install order.
export const WORKLOADS: WorkloadSpec[] = [
  { phase: "kubernetes", namespace: "kube-system", name: "etcd", kind: "Static", replicas: 1, nodes: M, image: `${K8S}/etcd:3.5.9-0`, labels: { component: "etcd", tier: "control-plane" } },
  { phase: "kubernetes", namespace: "kube-system", name: "kube-apiserver", kind: "Static", replicas: 1, nodes: M, image: `${K8S}/kube-apiserver:v1.28.4`, labels: { component: "kube-apiserver", tier: "control-plane" } },
  { phase: "kubernetes", namespace: "kube-system", name: "kube-controller-manager", kind: "Static", replicas: 1, nodes: M, image: `${K8S}/kube-controller-manager:v1.28.4`, restarts: [2], labels: { component: "kube-controller-manager", tier: "control-plane" } },
  { phase: "kubernetes", namespace: "kube-system", name: "kube-scheduler", kind: "Static", replicas: 1, nodes: M, image: `${K8S}/kube-scheduler:v1.28.4`, restarts: [2], labels: { component: "kube-scheduler", tier: "control-plane" } },
  { phase: "cni", namespace: "kube-system", name: "calico-node", kind: "DaemonSet", replicas: 0, nodes: [], image: "docker.io/calico/node:v3.26.1", restarts: [0, 1, 0, 0], labels: { "k8s-app": "calico-node" } },
  { phase: "cni", namespace: "kube-system", name: "calico-kube-controllers", kind: "Deployment", replicas: 1, nodes: M, image: "docker.io/calico/kube-controllers:v3.26.1", labels: { "k8s-app": "calico-kube-controllers" } },
  { phase: "cni", namespace: "kube-system", name: "kube-proxy", kind: "DaemonSet", replicas: 0, nodes: [], image: `${K8S}/kube-proxy:v1.28.4`, labels: { "k8s-app": "kube-proxy" } },
  { phase: "cni", namespace: "kube-system", name: "coredns", kind: "Deployment", replicas: 2, nodes: ["master", "worker-1"], image: `${K8S}/coredns/coredns:v1.10.1`, labels: { "k8s-app": "kube-dns" } },
  { phase: "storage", namespace: "kube-system", name: "ebs-csi-controller", kind: "Deployment", replicas: 2, nodes: ["master", "storage"], image: "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.25.0", labels: { app: "ebs-csi-controller" } },
  { phase: "storage", namespace: "kube-system", name: "ebs-csi-node", kind: "DaemonSet", replicas: 0, nodes: [], image: "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.25.0", labels: { app: "ebs-csi-node" } },
  { phase: "addons", namespace: "kube-system", name: "aws-load-balancer-controller", kind: "Deployment", replicas: 2, nodes: M, image: "public.ecr.aws/eks/aws-load-balancer-controller:v2.6.2", labels: { "app.kubernetes.io/name": "aws-load-balancer-controller" } },
  { phase: "addons", namespace: "cert-manager", name: "cert-manager", kind: "Deployment", replicas: 1, nodes: M, image: "quay.io/jetstack/cert-manager-controller:v1.13.2", labels: { app: "cert-manager" } },
  { phase: "addons", namespace: "cert-manager", name: "cert-manager-cainjector", kind: "Deployment", replicas: 1, nodes: M, image: "quay.io/jetstack/cert-manager-cainjector:v1.13.2", labels: { app: "cainjector" } },
  { phase: "addons", namespace: "cert-manager", name: "cert-manager-webhook", kind: "Deployment", replicas: 1, nodes: M, image: "quay.io/jetstack/cert-manager-webhook:v1.13.2", labels: { app: "webhook" } },
  { phase: "monitoring", namespace: "monitoring", name: "kube-prometheus-stack-operator", kind: "Deployment", replicas: 1, nodes: M, image: "quay.io/prometheus-operator/prometheus-operator:v0.69.1", labels: { app: "kube-prometheus-stack-operator" } },
  { phase: "monitoring", namespace: "monitoring", name: "kube-prometheus-stack-kube-state-metrics", kind: "Deployment", replicas: 1, nodes: M, image: `${K8S}/kube-state-metrics/kube-state-metrics:v2.10.1`, labels: { "app.kubernetes.io/name": "kube-state-metrics" } },
  { phase: "monitoring", namespace: "monitoring", name: "kube-prometheus-stack-prometheus-node-exporter", kind: "DaemonSet", replicas: 0, nodes: [], image: "quay.io/prometheus/node-exporter:v1.7.0", labels: { "app.kubernetes.io/name": "prometheus-node-exporter" } },
  { phase: "monitoring", namespace: "monitoring", name: "prometheus-kube-prometheus-stack-prometheus", kind: "StatefulSet", replicas: 1, nodes: M, image: "quay.io/prometheus/prometheus:v2.48.0", labels: { "app.kubernetes.io/name": "prometheus" } },
  { phase: "monitoring", namespace: "monitoring", name: "alertmanager-kube-prometheus-stack-alertmanager", kind: "StatefulSet", replicas: 1, nodes: M, image: "quay.io/prometheus/alertmanager:v0.26.0", labels: { "app.kubernetes.io/name": "alertmanager" } },
  { phase: "monitoring", namespace: "monitoring", name: "kube-prometheus-stack-grafana", kind: "Deployment", replicas: 1, nodes: M, image: "docker.io/grafana/grafana:10.2.2", labels: { "app.kubernetes.io/name": "grafana" } },
  { phase: "gitops", namespace: "argocd", name: "argocd-redis", kind: "Deployment", replicas: 1, nodes: M, image: "public.ecr.aws/docker/library/redis:7.0.11-alpine", labels: { "app.kubernetes.io/name": "argocd-redis" } },
  { phase: "gitops", namespace: "argocd", name: "argocd-repo-server", kind: "Deployment", replicas: 1, nodes: M, image: "quay.io/argoproj/argocd:v2.9.3", labels: { "app.kubernetes.io/name": "argocd-repo-server" } },
  { phase: "gitops", namespace: "argocd", name: "argocd-server", kind: "Deployment", replicas: 1, nodes: M, image: "quay.io/argoproj/argocd:v2.9.3", labels: { "app.kubernetes.io/name": "argocd-server" } },
  { phase: "gitops", namespace: "argocd", name: "argocd-dex-server", kind: "Deployment", replicas: 1, nodes: M, image: "ghcr.io/dexidp/dex:v2.37.0", labels: { "app.kubernetes.io/name": "argocd-dex-server" } },
  { phase: "gitops", namespace: "argocd", name: "argocd-application-controller", kind: "StatefulSet", replicas: 1, nodes: M, image: "quay.io/argoproj/argocd:v2.9.3", labels: { "app.kubernetes.io/name": "argocd-application-controller" } },
  { phase: "messaging", namespace: "messaging", name: "rabbitmq-cluster-operator", kind: "Deployment", replicas: 1, nodes: S, image: "docker.io/rabbitmqoperator/cluster-operator:2.6.0", labels: { "app.kubernetes.io/name": "rabbitmq-cluster-operator" } },
  { phase: "messaging", namespace: "messaging", name: "rabbitmq-server", kind: "StatefulSet", replicas: 1, nodes: S, image: "docker.io/library/rabbitmq:3.12.10-management", labels: { "app.kubernetes.io/name": "rabbitmq", "app.kubernetes.io/component": "rabbitmq" } },
  { phase: "data", namespace: "default", name: "redis", kind: "Deployment", replicas: 1, nodes: S, image: "docker.io/library/redis:7.2-alpine", labels: { app: "redis" } },
  { phase: "data", namespace: "default", name: "postgres", kind: "StatefulSet", replicas: 1, nodes: S, image: "docker.io/library/postgres:16-alpine", labels: { app: "postgres" } },
  { phase: "data", namespace: "default", name: "celery-beat", kind: "Deployment", replicas: 1, nodes: S, image: "ghcr.io/growbin/backend:celery-3.0.0", labels: { app: "celery-beat" } },
  { phase: "apps", namespace: "default", name: "auth-service", kind: "Deployment", replicas: 2, nodes: W1, image: "ghcr.io/growbin/auth-service:3.0.0", argoApp: "auth-service", labels: { app: "auth-service" } },
  { phase: "apps", namespace: "default", name: "users-service", kind: "Deployment", replicas: 1, nodes: W1, image: "ghcr.io/growbin/users-service:3.0.0", argoApp: "users-service", labels: { app: "users-service" } },
  { phase: "apps", namespace: "default", name: "locations-service", kind: "Deployment", replicas: 1, nodes: W1, image: "ghcr.io/growbin/locations-service:3.0.0", argoApp: "locations-service", labels: { app: "locations-service" } },
  { phase: "apps", namespace: "default", name: "waste-service", kind: "Deployment", replicas: 2, nodes: W2, image: "ghcr.io/growbin/waste-service:3.0.0", argoApp: "waste-service", labels: { app: "waste-service" } },
  { phase: "apps", namespace: "default", name: "ai-worker", kind: "Deployment", replicas: 3, nodes: W2, image: "ghcr.io/growbin/backend:celery-3.0.0", restarts: [1, 0, 3], argoApp: "ai-worker", labels: { app: "ai-worker" } },
  { phase: "apps", namespace: "default", name: "batch-worker", kind: "Deployment", replicas: 2, nodes: W2, image: "ghcr.io/growbin/backend:celery-3.0.0", argoApp: "batch-worker", labels: { app: "batch-worker" } },
];

// Argo CD Applications, one per app workload, created by the gitops phase and synced by apps.
export const ARGO_APPS = [...new Set(WORKLOADS.flatMap((w) => (w.argoApp ? [w.argoApp] : [])))];

// Namespaces the cluster has, and the phase that creates each.
export const NAMESPACES: [string, Phase][] = [
  ["default", "kubernetes"],
  ["kube-system", "kubernetes"],
  ["kube-public", "kubernetes"],
  ["kube-node-lease", "kubernetes"],
  ["cert-manager", "addons"],
  ["monitoring", "monitoring"],
  ["argocd", "gitops"],
  ["messaging", "messaging"],
];

// The 5 queues of the seed; every work queue dead-letters to q.dlq.
export const QUEUES = ["q.ai", "q.batch", "q.api", "q.sched", "q.dlq"] as const;
// The work queues (all but the DLQ).
export const WORK_QUEUES = ["q.ai", "q.batch", "q.api", "q.sched"] as const;
