// The seed's workloads (seed-summary.md): every controller the cluster runs, with its pods' nodes, image and
// labels, in the order the provisioning phases install them; and the Argo CD Applications they make up.
import type { Phase } from "./types";

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

