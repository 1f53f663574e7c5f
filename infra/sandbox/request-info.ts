// What a request asks for, in the terms RBAC checks: verb, API group, resource, subresource, name, namespace.
// Copied from kube-apiserver's RequestInfoFactory (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go).
// Notable consequences the portal depends on:
// - a service-proxy request /api/v1/namespaces/NS/services/NAME:PORT/proxy/... is verb "get" (by HTTP method) on
//   resource "services", subresource "proxy", and its name is the whole segment "NAME:PORT" (or
//   "https:NAME:PORT"), so RBAC resourceNames must name the port as the client writes it;
// - a GET without a name is "list", or "watch" with ?watch=true (anything but "false"/"0");
// - /api/v1/namespaces/NAME has namespace NAME.

// The attributes an authorizer sees.
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const SPECIAL_VERBS = new Set(["proxy", "watch"]);
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);
const METHOD_VERBS: Record<string, string> = {
  POST: "create",
  GET: "get",
  HEAD: "get",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

// Resolves a request's attributes from its method and URL.
export function requestInfo(method: string, url: URL): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path: url.pathname,
    verb: method.toLowerCase(),
    apiGroup: "",
    apiVersion: "",
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
  };
  const trimmed = url.pathname.replace(/^\/+|\/+$/g, "");
  let parts = trimmed ? trimmed.split("/") : [];
  if (parts.length < 3 || (parts[0] !== "api" && parts[0] !== "apis")) return info;
  const prefix = parts[0];
  parts = parts.slice(1);
  if (prefix === "apis") {
    if (parts.length < 3) return info;
    info.apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);
  if (SPECIAL_VERBS.has(parts[0]!)) {
    info.verb = parts[0]!;
    parts = parts.slice(1);
  } else {
    info.verb = METHOD_VERBS[method.toUpperCase()] ?? "";
  }
  if (parts[0] === "namespaces") {
    if (parts.length > 1) {
      info.namespace = parts[1]!;
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
    }
  }
  if (parts.length >= 3 && info.verb !== "proxy") info.subresource = parts[2]!;
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 1) info.resource = parts[0]!;
  if (!info.name && info.verb === "get") {
    const watch = url.searchParams.get("watch");
    info.verb = watch !== null && !["false", "0"].includes(watch.toLowerCase()) ? "watch" : "list";
  }
  if (!info.name && info.verb === "delete") info.verb = "deletecollection";
  return info;
}
