// Shared shapes of the sandbox: Kubernetes objects, phases, faults and start options.

// A Kubernetes object as stored and served; kept loose because the sandbox serves several kinds.
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: {
      apiVersion: string;
      kind: string;
      name: string;
      uid?: string;
      controller?: boolean;
      blockOwnerDeletion?: boolean;
    }[];
    [k: string]: unknown;
  };
  [k: string]: any;
}

// The resources the sandbox serves, by their REST plural.
export type Resource =
  | "nodes"
  | "pods"
  | "namespaces"
  | "events"
  | "services"
  | "secrets"
  | "applications"
  | "deployments"
  | "statefulsets"
  | "replicasets"
  | "daemonsets"
  | "leases";

// Provision phases in the order they must run.
export const PHASES = [
  "infra",
  "inventory",
  "os",
  "kubernetes",
  "cni",
  "storage",
  "addons",
  "monitoring",
  "gitops",
  "messaging",
  "data",
  "apps",
  "wait-nodes",
] as const;
// One provision phase name.
export type Phase = (typeof PHASES)[number];

// Fault kinds the CLI and admin endpoint accept.
export const FAULT_KINDS = [
  "node-notready",
  "pod-crashloop",
  "pod-imagepull",
  "pod-oomkilled",
  "etcd-unhealthy",
  "queue-backlog",
  "dlq-growth",
  "consumers-gone",
  "app-outofsync",
  "app-degraded",
  "instance-stopped",
] as const;
// One fault kind.
export type FaultKind = (typeof FAULT_KINDS)[number];

// An injected fault, persisted until healed.
export interface Fault {
  id: string;
  kind: FaultKind;
  target: string;
  createdAt: string;
  // What the fault replaced, so heal restores exactly that.
  saved?: unknown;
}

// An EC2 instance as the sandbox models it.
export interface Instance {
  instanceId: string;
  node: string;
  role: string;
  tier: string;
  instanceType: string;
  zone: string;
  diskGb: number;
  privateIp: string;
  state: "pending" | "running" | "shutting-down" | "terminated" | "stopping" | "stopped";
  launchTime: string;
  reservationId: string;
}

// Options of one sandbox server, from the CLI or startSandbox().
export interface SandboxOptions {
  stateDir: string;
  port?: number;
  cluster?: string;
  timeScale?: number;
  provisioned?: boolean;
  nodes?: number;
  podsPerNode?: number;
  amqpUrl?: string;
  rabbitmqApi?: string;
  rabbitmqVhost?: string;
}
