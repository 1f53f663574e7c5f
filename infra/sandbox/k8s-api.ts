// The Kubernetes REST API subset: discovery, list/get with selectors and paging, watch, patch.
import type http from "node:http";
import { reconcileApplication } from "./argocd";
import { readBody, sendJson, type Ctx } from "./context";
import { discovery } from "./discovery";
import { applyPatch } from "./patch";
import { parseFieldSelector, parseLabelSelector } from "./selectors";
import { ApiError, notFound } from "./status";
import type { Resource } from "./types";
import { serveWatch } from "./watch";

const KINDS: Record<Resource, string> = { nodes: "Node", pods: "Pod", namespaces: "Namespace", events: "Event", services: "Service", applications: "Application", secrets: "Secret" };
const NAMESPACED: Record<Resource, boolean> = { nodes: false, namespaces: false, pods: true, events: true, services: true, applications: true, secrets: true };

interface Route {
  resource: Resource;
  namespace?: string;
  name?: string;
  group: string;
}

// Maps a path to a resource route, or null when it is not one.
export function parseRoute(path: string): Route | null {
  let m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?(pods|events|services|nodes|namespaces)(?:\/([^/]+))?$/.exec(path);
  if (m) {
    const resource = m[2] as Resource;
    if (m[1] && !NAMESPACED[resource]) return null;
    return { resource, namespace: m[1] ? decodeURIComponent(m[1]) : undefined, name: m[3] ? decodeURIComponent(m[3]) : undefined, group: "" };
  }
  m = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
  if (m) return { resource: "namespaces", name: decodeURIComponent(m[1]!), group: "" };
  m = /^\/apis\/argoproj\.io\/v1alpha1\/(?:namespaces\/([^/]+)\/)?applications(?:\/([^/]+))?$/.exec(path);
  if (m) return { resource: "applications", namespace: m[1] ? decodeURIComponent(m[1]) : undefined, name: m[2] ? decodeURIComponent(m[2]) : undefined, group: "argoproj.io" };
  return null;
}

function parseLimit(v: string | null): number {
  if (v === null || v === "") return 0;
  if (!/^-?\d+$/.test(v)) throw new ApiError(400, `strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Math.max(0, Number(v));
}

// Continue tokens have the apiserver's shape: base64 of {"v","rv","start"}.
function decodeContinue(tok: string): string {
  try {
    const j = JSON.parse(Buffer.from(tok, "base64").toString("utf8"));
    if (j.v !== "meta.k8s.io/v1" || typeof j.start !== "string") throw new Error("bad");
    return j.start;
  } catch {
    throw new ApiError(400, "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  }
}

function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start: `${lastKey}\u0000` })).toString("base64");
}

function list(ctx: Ctx, r: Route, q: URLSearchParams, res: http.ServerResponse): void {
  const store = ctx.cluster.store;
  const label = parseLabelSelector(q.get("labelSelector"));
  const field = parseFieldSelector(q.get("fieldSelector"), r.resource);
  const limit = parseLimit(q.get("limit"));
  const keys = store.sortedKeys(r.resource);
  let i = 0;
  const cont = q.get("continue");
  if (cont) {
    const start = decodeContinue(cont);
    let lo = 0, hi = keys.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (keys[mid]! < start) lo = mid + 1; else hi = mid; }
    i = lo;
  }
  const prefix = r.namespace ? `${r.namespace}/` : "";
  if (prefix && !cont) {
    let lo = 0, hi = keys.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (keys[mid]! < prefix) lo = mid + 1; else hi = mid; }
    i = lo;
  }
  const items: string[] = [];
  let lastKey = "";
  let more = false;
  for (; i < keys.length; i++) {
    const k = keys[i]!;
    if (prefix && !k.startsWith(prefix)) break;
    const e = store.entry(r.resource, k)!;
    if ((label && !label(e.obj)) || (field && !field(e.obj))) continue;
    if (limit && items.length === limit) { more = true; break; }
    items.push(e.json);
    lastKey = k;
  }
  const rv = store.rv;
  const meta: Record<string, unknown> = { resourceVersion: String(rv) };
  if (more) {
    meta.continue = encodeContinue(rv, lastKey);
    // The apiserver only knows the remaining count when nothing is filtered.
    if (!label && !field) {
      let rest = 0;
      for (let j = i; j < keys.length && (!prefix || keys[j]!.startsWith(prefix)); j++) rest++;
      meta.remainingItemCount = rest;
    }
  }
  const apiVersion = r.group ? `${r.group}/v1alpha1` : "v1";
  const body = `{"kind":"${KINDS[r.resource]}List","apiVersion":"${apiVersion}","metadata":${JSON.stringify(meta)},"items":[${items.join(",")}]}`;
  sendJson(res, 200, body);
}

async function patch(ctx: Ctx, r: Route, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const cur = ctx.cluster.store.get(r.resource, r.name!, r.namespace);
  if (!cur) throw notFound(r.resource, r.name!, r.group);
  const body = await readBody(req);
  const next = applyPatch(cur, body, req.headers["content-type"] ?? "", r.resource === "applications");
  if (!next || typeof next !== "object" || !next.metadata) throw new ApiError(422, `${KINDS[r.resource]} "${r.name}" is invalid: metadata: Required value`);
  if (next.metadata.name !== r.name) throw new ApiError(422, `${KINDS[r.resource]} "${r.name}" is invalid: metadata.name: Invalid value: "${next.metadata.name}": field is immutable`);
  // The apiserver ignores a stale or missing resourceVersion in a patch unless one is given and differs.
  if (next.metadata.resourceVersion && next.metadata.resourceVersion !== cur.metadata.resourceVersion)
    throw new ApiError(409, `Operation cannot be fulfilled on ${r.resource}${r.group ? "." + r.group : ""} "${r.name}": the object has been modified; please apply your changes to the latest version and try again`);
  next.metadata.uid = cur.metadata.uid;
  next.metadata.creationTimestamp = cur.metadata.creationTimestamp;
  const stored = ctx.cluster.store.put(r.resource, next);
  if (r.resource === "applications") reconcileApplication(ctx.cluster, stored, Math.max(20, 2000 * ctx.timeScale));
  sendJson(res, 200, ctx.cluster.store.entry(r.resource, r.namespace ? `${r.namespace}/${r.name}` : r.name!)!.json);
}

// Serves one Kubernetes API request; returns false when the path is not a Kubernetes path.
export async function handleK8s(ctx: Ctx, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const d = discovery(path, ctx.port);
  if (d) {
    sendJson(res, 200, d);
    return true;
  }
  const r = parseRoute(path);
  if (!r) return false;
  if (r.name && NAMESPACED[r.resource] && !r.namespace) return false;
  const method = req.method ?? "GET";
  if (method === "GET" && !r.name) {
    const q = url.searchParams;
    const w = q.get("watch");
    if (w === "true" || w === "1") serveWatch(ctx, r.resource, r.namespace, q, req, res, KINDS[r.resource], r.group);
    else list(ctx, r, q, res);
    return true;
  }
  if (method === "GET") {
    const key = r.namespace ? `${r.namespace}/${r.name}` : r.name!;
    const e = ctx.cluster.store.entry(r.resource, key);
    if (!e) throw notFound(r.resource, r.name!, r.group);
    sendJson(res, 200, e.json);
    return true;
  }
  if (method === "PATCH" && r.name) {
    await patch(ctx, r, req, res);
    return true;
  }
  throw new ApiError(405, `the server does not allow this method on the requested resource`);
}
