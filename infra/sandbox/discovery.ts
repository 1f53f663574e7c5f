// Discovery as a v1.28.4 apiserver serves it: legacy /api, /apis and per-group-version resource lists, and the
// aggregated discovery (apidiscovery.k8s.io/v2beta1, beta and on by default in 1.28) that kubectl asks for first.
// Shapes copy k8s.io/api/apidiscovery/v2beta1/types.go and staging/src/k8s.io/apiserver/pkg/endpoints/discovery.
import { GROUPS, resourcesOf, type ResourceInfo } from "./resources";

// The apiserver's build info; the seed runs v1.28.4.
export const VERSION = {
  major: "1",
  minor: "28",
  gitVersion: "v1.28.4",
  gitCommit: "bae2c62678db2b5053817bc97181fcc2e8388103",
  gitTreeState: "clean",
  buildDate: "2023-11-15T16:48:54Z",
  goVersion: "go1.20.11",
  compiler: "gc",
  platform: "linux/amd64",
};

const AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

function legacyList(group: string, version: string) {
  const resources: Record<string, unknown>[] = [];
  for (const r of resourcesOf(group, version)) {
    resources.push({
      name: r.resource,
      singularName: r.kind.toLowerCase(),
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    });
    for (const s of r.subresources ?? [])
      resources.push({
        name: `${r.resource}/${s.name}`,
        singularName: "",
        namespaced: r.namespaced,
        kind: s.kind,
        verbs: s.verbs,
      });
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

function aggregatedResource(r: ResourceInfo) {
  return {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? "Namespaced" : "Cluster",
    singularResource: r.kind.toLowerCase(),
    verbs: r.verbs,
    ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    ...(r.categories ? { categories: r.categories } : {}),
    ...(r.subresources
      ? {
          subresources: r.subresources.map((s) => ({
            subresource: s.name,
            responseKind: { group: "", version: "v1", kind: s.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

function versionOf(group: string): string {
  return resourcesOf(group, "v1").length ? "v1" : "v1alpha1";
}

function aggregated(core: boolean) {
  const groups = core ? [""] : GROUPS;
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: "apidiscovery.k8s.io/v2beta1",
    metadata: {},
    items: groups.map((g) => ({
      metadata: { ...(g ? { name: g } : {}), creationTimestamp: null },
      versions: [
        {
          version: versionOf(g),
          resources: resourcesOf(g, versionOf(g)).map(aggregatedResource),
          freshness: "Current",
        },
      ],
    })),
  };
}

function group(name: string) {
  const gv = { groupVersion: `${name}/${versionOf(name)}`, version: versionOf(name) };
  return { name, versions: [gv], preferredVersion: gv };
}

// True when the Accept header lists aggregated discovery v2beta1 (kubectl 1.28+ sends it before plain JSON).
function wantsAggregated(accept: string | undefined): boolean {
  return (accept ?? "").split(",").some((part) => {
    const p = part.split(";").map((s) => s.trim());
    return (
      p[0] === "application/json" &&
      p.includes("g=apidiscovery.k8s.io") &&
      p.includes("v=v2beta1") &&
      p.includes("as=APIGroupDiscoveryList")
    );
  });
}

// The discovery body and content type for a path, or null when the path is not a discovery path.
export function discovery(path: string, port: number, accept?: string): { body: string; contentType: string } | null {
  const json = (b: unknown) => ({ body: JSON.stringify(b), contentType: "application/json" });
  if ((path === "/api" || path === "/apis") && wantsAggregated(accept))
    return { body: JSON.stringify(aggregated(path === "/api")), contentType: AGGREGATED };
  if (path === "/api")
    return json({
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: `127.0.0.1:${port}` }],
    });
  if (path === "/api/v1") return json(legacyList("", "v1"));
  if (path === "/apis") return json({ kind: "APIGroupList", apiVersion: "v1", groups: GROUPS.map(group) });
  if (path === "/version") return json(VERSION);
  const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (!m || !GROUPS.includes(m[1]!)) return null;
  if (!m[2]) return json({ kind: "APIGroup", apiVersion: "v1", ...group(m[1]!) });
  if (m[2] !== versionOf(m[1]!)) return null;
  return json(legacyList(m[1]!, m[2]));
}
