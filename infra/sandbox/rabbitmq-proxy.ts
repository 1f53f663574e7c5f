// The apiserver's service proxy (/api/v1/namespaces/{ns}/services/{name}[:port]/proxy/...) for RabbitMQ's Service:
// forwards to the real broker's listeners, or answers from the modeled broker, and never passes the caller's
// Authorization header on: kube-apiserver consumes it (kubernetes/kubernetes#38775; the authentication filter deletes it,
// staging/src/k8s.io/apiserver/pkg/endpoints/filters/authentication.go).
import http from "node:http";
import { sendJson, type Ctx } from "./context";
import { checkManagementAuth, readDefaultUser, sendRefusal } from "./rabbitmq-auth";
import { PROMETHEUS_CONTENT_TYPE } from "./rabbitmq-metrics";
import { statusBody } from "./status";
import { serveAlertmanager } from "./alert-api";

const PROXY = /^\/api\/v1\/namespaces\/([^/]+)\/services\/(?:https?:)?([^/:]+)(?::([^/]+))?\/proxy(\/.*)?$/;
// Hop-by-hop headers (RFC 9110 7.6.1) go no further than one connection; Authorization is the apiserver's own.
const DROP = new Set([
  "authorization",
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);
const NOT_FOUND = { error: "Object Not Found", reason: "Not Found" };

// The request headers the proxied service receives.
export function forwardedHeaders(req: http.IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !DROP.has(k)) out[k] = v;
  out["x-forwarded-for"] = req.socket.remoteAddress ?? "127.0.0.1";
  return out;
}

const unavailable = (res: http.ServerResponse, msg: string) =>
  sendJson(res, 503, statusBody(503, msg, "ServiceUnavailable"));

// Handles a service proxy path; returns false for other paths.
export function handleServiceProxy(ctx: Ctx, req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean {
  const m = PROXY.exec(url.pathname);
  if (!m) return false;
  const [, ns, name, portStr = "", rest = "/"] = m;
  const svc = ctx.cluster.store.get("services", name!, ns);
  if (!svc)
    return (
      sendJson(res, 404, statusBody(404, `services "${name}" not found`, "NotFound", { name, kind: "services" })),
      true
    );
  // pkg/registry/core/service/storage: a port number is mapped to its port's name; no port means the unnamed one.
  const ports: { name: string; port: number }[] = svc.spec.ports ?? [];
  let portName = portStr;
  if (/^\d+$/.test(portStr)) {
    const p = ports.find((x) => String(x.port) === portStr);
    if (!p) return (unavailable(res, `no service port ${portStr} found for service "${name}"`), true);
    portName = p.name;
  }
  const port = ports.find((x) => (x.name ?? "") === portName);
  if (port && ns === "monitoring" && name === "kube-prometheus-stack-alertmanager" && port.name === "http-web") {
    const amUp = ctx.cluster.store
      .all("pods", "monitoring")
      .some(
        (x) =>
          x.metadata.name.startsWith("alertmanager-kube-prometheus-stack-alertmanager-") &&
          x.status?.containerStatuses?.[0]?.ready,
      );
    if (!amUp) return (unavailable(res, `no endpoints available for service "${name}"`), true);
    return (
      void serveAlertmanager(ctx, req, res, rest, url.searchParams).catch((e: Error) =>
        unavailable(res, `error trying to reach service: ${e.message}`),
      ),
      true
    );
  }
  const isBroker = ns === "messaging" && name === "rabbitmq";
  const serverUp = ctx.cluster.store
    .all("pods", "messaging")
    .some((x) => x.metadata.name === "rabbitmq-server-0" && x.status?.containerStatuses?.[0]?.ready);
  if (!port || !isBroker || !serverUp) return (unavailable(res, `no endpoints available for service "${name}"`), true);
  const headers = forwardedHeaders(req);
  if (port.name === "amqp")
    return (
      unavailable(
        res,
        `error trying to reach service: net/http: HTTP/1.x transport connection broken: malformed HTTP response "AMQP\\x00\\x00\\t\\x01"`,
      ),
      true
    );
  if (ctx.queues.kind === "rabbitmq") {
    const target = ctx.queues.upstream(port.name === "prometheus" ? "prometheus" : "management");
    if (target) return (forward(req, res, target, rest + url.search, headers), true);
  }
  if (port.name === "prometheus") return (servePrometheus(ctx, req, res, rest, url.searchParams), true);
  return (serveManagement(ctx, res, rest, url.search, headers), true);
}

// rabbit_prometheus_handler: GET/HEAD only, text/plain only, 404 with the management plugin's JSON elsewhere.
function servePrometheus(
  ctx: Ctx,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  rest: string,
  q: URLSearchParams,
): void {
  const text = ctx.queues.metrics(rest, q);
  if (text === null) return sendJson(res, 404, NOT_FOUND);
  if (req.method !== "GET" && req.method !== "HEAD")
    return void res.writeHead(405, { allow: "HEAD, GET, OPTIONS", "content-length": "0" }).end();
  const accept = req.headers.accept;
  if (accept && !/(text\/plain|text\/\*|\*\/\*)/.test(accept))
    return void res.writeHead(406, { "content-length": "0" }).end();
  // cowboy_rest answers HEAD with 204 and no body (checked against the broker here).
  if (req.method === "HEAD") return void res.writeHead(204).end();
  res.writeHead(200, {
    "content-type": PROMETHEUS_CONTENT_TYPE,
    "content-encoding": "identity",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

// The modeled management API: every /api path needs the default user's basic auth, checked on the headers the
// proxy forwards (so through the proxy it is always refused, as on the real cluster).
function serveManagement(
  ctx: Ctx,
  res: http.ServerResponse,
  rest: string,
  search: string,
  headers: Record<string, string | string[]>,
): void {
  if (!rest.startsWith("/api/") && rest !== "/api") return sendJson(res, 404, NOT_FOUND);
  const refusal = checkManagementAuth(headers.authorization as string | undefined, readDefaultUser(ctx.cluster));
  if (refusal) return sendRefusal(res, refusal);
  const out = ctx.queues.mgmt(rest.slice(4) + search);
  sendJson(res, out?.status ?? 404, out?.body ?? NOT_FOUND);
}

// Streams the request to the broker's listener and its answer back, status and headers included.
function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: URL,
  pathAndQuery: string,
  headers: Record<string, string | string[]>,
): void {
  const base = target.pathname.replace(/\/+$/, "");
  const up = http.request(
    {
      host: target.hostname.replace(/^\[|\]$/g, ""),
      port: target.port || 80,
      method: req.method,
      path: `${base}${pathAndQuery}`,
      headers: { ...headers, host: target.host },
      timeout: 10_000,
    },
    (r) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(r.headers)) if (v !== undefined && !DROP.has(k)) out[k] = v;
      res.writeHead(r.statusCode ?? 502, out);
      r.pipe(res);
    },
  );
  up.on("timeout", () => up.destroy(new Error("timeout")));
  up.on("error", (e) => {
    if (!res.headersSent) unavailable(res, `error trying to reach service: ${e.message}`);
    else res.destroy();
  });
  req.pipe(up);
}
