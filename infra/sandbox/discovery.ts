// Discovery documents (/api, /apis, /version, resource lists) as a v1.28.4 apiserver serves them.

const VERBS = ["get", "list", "watch"];

function res(name: string, kind: string, namespaced: boolean, shortNames?: string[], verbs = VERBS) {
  return { name, singularName: kind.toLowerCase(), namespaced, kind, verbs, ...(shortNames ? { shortNames } : {}) };
}

// Core v1 resources the sandbox serves.
const CORE = {
  kind: "APIResourceList",
  groupVersion: "v1",
  resources: [
    res("events", "Event", true, ["ev"]),
    res("namespaces", "Namespace", false, ["ns"]),
    res("nodes", "Node", false, ["no"], ["get", "list", "patch", "watch"]),
    res("pods", "Pod", true, ["po"], ["get", "list", "patch", "watch"]),
    res("services", "Service", true, ["svc"]),
    { name: "services/proxy", singularName: "", namespaced: true, kind: "ServiceProxyOptions", verbs: ["create", "delete", "get", "patch", "update"] },
  ],
};

const ARGO = {
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion: "argoproj.io/v1alpha1",
  resources: [{ ...res("applications", "Application", true, ["app", "apps"], ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"]), categories: ["all"], storageVersionHash: "C4xMwhUyVZo=" }],
};

// The apiserver's build info; the seed runs v1.28.4.
export const VERSION = {
  major: "1", minor: "28", gitVersion: "v1.28.4", gitCommit: "bae2c62678db2b5053817bc97181fcc2e8388103", gitTreeState: "clean",
  buildDate: "2023-11-15T16:48:54Z", goVersion: "go1.20.11", compiler: "gc", platform: "linux/amd64",
};

// The discovery body for a path, or null when the path is not a discovery path.
export function discovery(path: string, port: number): unknown | null {
  switch (path) {
    case "/api":
      return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: `127.0.0.1:${port}` }] };
    case "/api/v1":
      return CORE;
    case "/apis":
      return {
        kind: "APIGroupList", apiVersion: "v1",
        groups: [{ name: "argoproj.io", versions: [{ groupVersion: "argoproj.io/v1alpha1", version: "v1alpha1" }], preferredVersion: { groupVersion: "argoproj.io/v1alpha1", version: "v1alpha1" } }],
      };
    case "/apis/argoproj.io":
      return { kind: "APIGroup", apiVersion: "v1", name: "argoproj.io", versions: [{ groupVersion: "argoproj.io/v1alpha1", version: "v1alpha1" }], preferredVersion: { groupVersion: "argoproj.io/v1alpha1", version: "v1alpha1" } };
    case "/apis/argoproj.io/v1alpha1":
      return ARGO;
    case "/version":
      return VERSION;
    default:
      return null;
  }
}
