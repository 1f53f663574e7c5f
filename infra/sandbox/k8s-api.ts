// The Kubernetes REST API subset: discovery, list/get with selectors, paging and Tables, watch, patch, pod logs.
import type http from "node:http";
import { reconcileApplication } from "./argocd";
import { readBody, sendJson, type Ctx } from "./context";
import { discovery } from "./discovery";
import { servePodLog } from "./logs";
import { applyPatch } from "./patch";
import { apiVersionOf, RESOURCES, type ResourceInfo } from "./resources";
import { parseFieldSelector, parseLabelSelector } from "./selectors";
import { ApiError, notFound } from "./status";
import { parseIncludeObject, tableJson, tableRow, wantsTable, type IncludeObject } from "./tables";
import type { Resource } from "./types";
import { serveWatch } from "./watch";

interface Route {
  info: ResourceInfo;
  resource: Resource;
  namespace?: string;
  name?: string;
  group: string;
}

const INFOS = Object.values(RESOURCES);
const dec = (s: string | undefined) => (s === undefined ? undefined : decodeURIComponent(s));

// Maps a path to a resource route, or null when it is not one (unknown kinds fall through to the 404).
export function parseRoute(path: string): Route | null {
  const nsItself = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
  if (nsItself)
    return { info: RESOURCES.namespaces, resource: "namespaces", name: decodeURIComponent(nsItself[1]!), group: "" };
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))\/(?:namespaces\/([^/]+)\/)?([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (!m) return null;
  const [, group = "", version = "v1", ns, plural, name] = m;
  const info = INFOS.find((r) => r.resource === plural && r.group === group && r.version === version);
  if (!info || (ns && !info.namespaced)) return null;
  return { info, resource: info.resource, namespace: dec(ns), name: dec(name), group };
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
    throw new ApiError(
      400,
      "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
    );
  }
}

function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start: `${lastKey}\u0000` })).toString("base64");
}

// includeObject is only meaningful for Tables; the apiserver rejects a bad value either way.
function includeOf(q: URLSearchParams): IncludeObject {
  const inc = parseIncludeObject(q.get("includeObject"));
  if (inc instanceof Error) throw new ApiError(400, inc.message);
  return inc;
}

function list(ctx: Ctx, r: Route, q: URLSearchParams, res: http.ServerResponse, table: boolean): void {
  const store = ctx.cluster.store;
  const label = parseLabelSelector(q.get("labelSelector"));
  const field = parseFieldSelector(q.get("fieldSelector"), r.resource);
  const limit = parseLimit(q.get("limit"));
  const keys = store.sortedKeys(r.resource);
  let i = 0;
  const cont = q.get("continue");
  if (cont) {
    const start = decodeContinue(cont);
    let lo = 0,
      hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    i = lo;
  }
  const prefix = r.namespace ? `${r.namespace}/` : "";
  if (prefix && !cont) {
    let lo = 0,
      hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    i = lo;
  }
  const inc = includeOf(q);
  const items: string[] = [];
  let lastKey = "";
  let more = false;
  for (; i < keys.length; i++) {
    const k = keys[i]!;
    if (prefix && !k.startsWith(prefix)) break;
    const e = store.entry(r.resource, k)!;
    if ((label && !label(e.obj)) || (field && !field(e.obj))) continue;
    if (limit && items.length === limit) {
      more = true;
      break;
    }
    items.push(table ? tableRow(r.resource, e.obj, e.json, inc) : e.json);
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
  const body = table
    ? tableJson(r.resource, items, meta)
    : `{"kind":"${r.info.kind}List","apiVersion":"${apiVersionOf(r.info)}","metadata":${JSON.stringify(meta)},"items":[${items.join(",")}]}`;
  sendJson(res, 200, body);
}

async function patch(ctx: Ctx, r: Route, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const cur = ctx.cluster.store.get(r.resource, r.name!, r.namespace);
  if (!cur) throw notFound(r.resource, r.name!, r.group);
  const body = await readBody(req);
  const next = applyPatch(cur, body, req.headers["content-type"] ?? "", r.resource === "applications");
  if (!next || typeof next !== "object" || !next.metadata)
    throw new ApiError(422, `${r.info.kind} "${r.name}" is invalid: metadata: Required value`);
  if (next.metadata.name !== r.name)
    throw new ApiError(
      422,
      `${r.info.kind} "${r.name}" is invalid: metadata.name: Invalid value: "${next.metadata.name}": field is immutable`,
    );
  // The apiserver ignores a stale or missing resourceVersion in a patch unless one is given and differs.
  if (next.metadata.resourceVersion && next.metadata.resourceVersion !== cur.metadata.resourceVersion)
    throw new ApiError(
      409,
      `Operation cannot be fulfilled on ${r.resource}${r.group ? "." + r.group : ""} "${r.name}": the object has been modified; please apply your changes to the latest version and try again`,
    );
  next.metadata.uid = cur.metadata.uid;
  next.metadata.creationTimestamp = cur.metadata.creationTimestamp;
  const stored = ctx.cluster.store.put(r.resource, next);
  if (r.resource === "applications") reconcileApplication(ctx.cluster, stored, Math.max(20, 2000 * ctx.timeScale));
  sendJson(res, 200, ctx.cluster.store.entry(r.resource, r.namespace ? `${r.namespace}/${r.name}` : r.name!)!.json);
}

// Serves one Kubernetes API request; returns false when the path is not a Kubernetes path.
export async function handleK8s(
  ctx: Ctx,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<boolean> {
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const d = discovery(path, ctx.port, req.headers.accept);
  if (d) {
    res.writeHead(200, { "Content-Type": d.contentType, "Content-Length": Buffer.byteLength(d.body) });
    res.end(d.body);
    return true;
  }
  const method = req.method ?? "GET";
  const log = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(path);
  if (log && method === "GET") {
    servePodLog(ctx, decodeURIComponent(log[1]!), decodeURIComponent(log[2]!), url.searchParams, req, res);
    return true;
  }
  const r = parseRoute(path);
  if (!r) return false;
  if (r.name && r.info.namespaced && !r.namespace) return false;
  const table = wantsTable(req.headers.accept);
  const q = url.searchParams;
  if (method === "GET" && !r.name) {
    const w = q.get("watch");
    if (w === "true" || w === "1") serveWatch(ctx, r, q, req, res, table ? includeOf(q) : null);
    else list(ctx, r, q, res, table);
    return true;
  }
  if (method === "GET") {
    const key = r.namespace ? `${r.namespace}/${r.name}` : r.name!;
    const e = ctx.cluster.store.entry(r.resource, key);
    if (!e) throw notFound(r.resource, r.name!, r.group);
    // A single object asked for as a Table is a one-row Table (kubectl get pod NAME).
    sendJson(res, 200, table ? tableJson(r.resource, [tableRow(r.resource, e.obj, e.json, includeOf(q))], {}) : e.json);
    return true;
  }
  if (method === "PATCH" && r.name) {
    await patch(ctx, r, req, res);
    return true;
  }
  throw new ApiError(405, `the server does not allow this method on the requested resource`);
}
