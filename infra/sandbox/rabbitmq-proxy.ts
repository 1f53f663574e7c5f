// The service proxy to RabbitMQ's management API: forwards to a real broker, or answers from the model.
import http from "node:http";
import { sendJson, type Ctx } from "./context";
import { statusBody } from "./status";

const PROXY = /^\/api\/v1\/namespaces\/([^/]+)\/services\/(?:https?:)?([^/:]+)(?::([^/]+))?\/proxy(\/.*)?$/;

// Handles /api/v1/namespaces/{ns}/services/{svc}[:port]/proxy/...; returns false for other paths.
export function handleServiceProxy(ctx: Ctx, req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean {
  const m = PROXY.exec(url.pathname);
  if (!m) return false;
  const [, ns, name, port, rest = "/"] = m;
  const svc = ctx.cluster.store.get("services", name!, ns);
  if (!svc) return sendJson(res, 404, statusBody(404, `services "${name}" not found`, "NotFound", { name, kind: "services" })), true;
  const ports: { name: string; port: number }[] = svc.spec.ports;
  const p = port ? ports.find((x) => x.name === port || String(x.port) === port) : ports[0];
  if (!p) return sendJson(res, 503, statusBody(503, `no endpoints available for service "${name}:${port}"`, "ServiceUnavailable")), true;
  const isMgmt = ns === "messaging" && name === "rabbitmq" && p.port === 15672;
  const serverUp = ctx.cluster.store.all("pods", "messaging").some((x) => x.metadata.name === "rabbitmq-server-0" && x.status?.containerStatuses?.[0]?.ready);
  if (!isMgmt || !serverUp) return sendJson(res, 503, statusBody(503, `no endpoints available for service "${name}"`, "ServiceUnavailable")), true;
  if (!rest.startsWith("/api/") && rest !== "/api") return sendJson(res, 404, { error: "Object Not Found", reason: "Not Found" }), true;
  const sub = rest.slice(4) + url.search;
  if (!ctx.rabbitmqApi) {
    const out = ctx.queues.mgmt(sub);
    sendJson(res, out?.status ?? 404, out?.body ?? { error: "Object Not Found", reason: "Not Found" });
    return true;
  }
  // The sandbox stands in for the apiserver + pod: it carries the broker credentials, not the caller.
  const target = new URL(ctx.rabbitmqApi);
  const auth = target.username ? `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString("base64")}` : undefined;
  const base = target.pathname.replace(/\/+$/, "");
  const up = http.request({
    host: target.hostname, port: target.port || 80, method: req.method, path: `${base}${rest}${url.search}`,
    headers: { accept: "application/json", ...(req.headers["content-type"] ? { "content-type": req.headers["content-type"] } : {}), ...(auth ? { authorization: auth } : {}) },
    timeout: 10_000,
  }, (r) => {
    res.writeHead(r.statusCode ?? 502, { "Content-Type": r.headers["content-type"] ?? "application/json" });
    r.pipe(res);
  });
  up.on("timeout", () => up.destroy(new Error("timeout")));
  up.on("error", (e) => {
    if (!res.headersSent) sendJson(res, 503, statusBody(503, `error trying to reach service: ${e.message}`, "ServiceUnavailable"));
    else res.destroy();
  });
  req.pipe(up);
  return true;
}
