// The served kinds: REST plural, kind, group/version, scope and short names, as discovery and the handlers need them.
import type { Resource } from "./types";

// One served resource, in the terms of a discovery APIResource.
export interface ResourceInfo {
  resource: Resource;
  kind: string;
  group: string;
  version: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  // Read-only subresources the sandbox serves (pods/log) or proxies (services/proxy).
  subresources?: { name: string; kind: string; verbs: string[] }[];
}

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

// Short names and categories copied from `kubectl api-resources -o wide` on a kubeadm v1.28.4 cluster
// (the apiserver's storage registries: pkg/registry/*/rest.go ShortNames/Categories) and Argo CD's CRD.
export const RESOURCES: Record<Resource, ResourceInfo> = {
  events: {
    resource: "events",
    kind: "Event",
    group: "",
    version: "v1",
    namespaced: true,
    verbs: READ,
    shortNames: ["ev"],
  },
  namespaces: {
    resource: "namespaces",
    kind: "Namespace",
    group: "",
    version: "v1",
    namespaced: false,
    verbs: READ,
    shortNames: ["ns"],
  },
  nodes: {
    resource: "nodes",
    kind: "Node",
    group: "",
    version: "v1",
    namespaced: false,
    verbs: ["get", "list", "patch", "watch"],
    shortNames: ["no"],
  },
  pods: {
    resource: "pods",
    kind: "Pod",
    group: "",
    version: "v1",
    namespaced: true,
    verbs: ["get", "list", "patch", "watch"],
    shortNames: ["po"],
    categories: ["all"],
    subresources: [{ name: "log", kind: "Pod", verbs: ["get"] }],
  },
  secrets: { resource: "secrets", kind: "Secret", group: "", version: "v1", namespaced: true, verbs: READ },
  services: {
    resource: "services",
    kind: "Service",
    group: "",
    version: "v1",
    namespaced: true,
    verbs: READ,
    shortNames: ["svc"],
    categories: ["all"],
    subresources: [
      { name: "proxy", kind: "ServiceProxyOptions", verbs: ["create", "delete", "get", "patch", "update"] },
    ],
  },
  daemonsets: {
    resource: "daemonsets",
    kind: "DaemonSet",
    group: "apps",
    version: "v1",
    namespaced: true,
    verbs: READ,
    shortNames: ["ds"],
    categories: ["all"],
  },
  deployments: {
    resource: "deployments",
    kind: "Deployment",
    group: "apps",
    version: "v1",
    namespaced: true,
    verbs: READ,
    shortNames: ["deploy"],
    categories: ["all"],
  },
  replicasets: {
    resource: "replicasets",
    kind: "ReplicaSet",
    group: "apps",
    version: "v1",
    namespaced: true,
    verbs: READ,
    shortNames: ["rs"],
    categories: ["all"],
  },
  statefulsets: {
    resource: "statefulsets",
    kind: "StatefulSet",
    group: "apps",
    version: "v1",
    namespaced: true,
    verbs: READ,
    shortNames: ["sts"],
    categories: ["all"],
  },
  leases: {
    resource: "leases",
    kind: "Lease",
    group: "coordination.k8s.io",
    version: "v1",
    namespaced: true,
    verbs: READ,
  },
  applications: {
    resource: "applications",
    kind: "Application",
    group: "argoproj.io",
    version: "v1alpha1",
    namespaced: true,
    verbs: WRITE,
    shortNames: ["app", "apps"],
  },
};

// "v1" or "group/version", as an object's apiVersion.
export function apiVersionOf(info: ResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

// The groups under /apis, in the order a v1.28 apiserver lists them (built-in groups first, CRDs last).
export const GROUPS = ["apps", "coordination.k8s.io", "argoproj.io"];

// The served resources of one group/version.
export function resourcesOf(group: string, version: string): ResourceInfo[] {
  return Object.values(RESOURCES)
    .filter((r) => r.group === group && r.version === version)
    .sort((a, b) => a.resource.localeCompare(b.resource));
}
