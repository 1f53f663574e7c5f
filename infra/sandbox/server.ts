// The sandbox server: one HTTPS listener on 127.0.0.1 serving Kubernetes, EC2, the RabbitMQ proxy and the admin API.
// Every Kubernetes request passes authentication and RBAC (authn.ts, rbac.ts) before the router sees it, in the
// order of kube-apiserver's handler chain (DefaultBuildHandlerChain: WithAuthentication, then WithAuthorization).
import path from "node:path";
import type http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Authenticator, mintLegacyToken } from "./authn";
import { bootstrapPolicy } from "./bootstrap-policy";
import { loadPki } from "./pki";
import { handleAccessReview, SSAR_PATH } from "./access-review";
import { authorize, forbidden, type Policy, type UserInfo } from "./rbac";
import { requestInfo } from "./request-info";
import { createTlsServer } from "./tls-server";
import { handleAdmin } from "./admin-api";
import { RabbitQueues } from "./broker";
import { Cluster } from "./cluster";
import { sendJson, type Ctx } from "./context";
import { handleEc2 } from "./ec2-api";
import { handleHealth } from "./health";
import { handleK8s } from "./k8s-api";
import { Lifecycle } from "./lifecycle";
import { ModelQueues, type QueueBackend } from "./queues";
import { handleServiceProxy } from "./rabbitmq-proxy";
import { ApiError, statusBody } from "./status";
import { claimFolder, loadSecrets, writeClientFiles, type Endpoints } from "./state-dir";
import type { RequestInfo } from "./request-info";
import type { SandboxOptions } from "./types";
import { VERSION } from "./discovery";

// A started server and how to stop it.
export interface RunningServer {
  port: number;
  url: string;
  endpoints: Endpoints;
  stop(): Promise<void>;
  closed: Promise<void>;
}

// The RBAC manifest the infra applies on the real cluster; the sandbox enforces the same file.
export const PORTAL_RBAC = path.resolve(__dirname, "../kubernetes/portal-rbac.yaml");

// The bootstrap policy plus the portal's manifest, and the tokens of its ServiceAccount token Secrets.
function loadPolicy(saKey: string, saPub: string): { policy: Policy; tokens: Map<string, string> } {
  const policy = bootstrapPolicy();
  policy.addFile(PORTAL_RBAC);
  const tokens = new Map<string, string>();
  for (const t of policy.tokenSecrets)
    tokens.set(t.serviceAccount, mintLegacyToken(saKey, saPub, t.namespace, t.name, t.serviceAccount));
  return { policy, tokens };
}

function tokenFor(tokens: Map<string, string>, sa: string): string {
  const t = tokens.get(sa);
  if (!t) throw new Error(`${PORTAL_RBAC} has no token Secret for the ServiceAccount ${sa}`);
  return t;
}

function defaultTimeScale(): number {
  const env = Number(process.env.SANDBOX_TIME_SCALE);
  return Number.isFinite(env) && env >= 0 && process.env.SANDBOX_TIME_SCALE ? env : 1;
}

// Starts a sandbox on a state folder; the same code runs detached (server-main.ts) and in-process (index.ts).
export async function startServer(opts: SandboxOptions): Promise<RunningServer> {
  const dir = opts.stateDir;
  const secrets = loadSecrets(dir);
  const release = claimFolder(dir, process.pid);
  try {
    // After the claim: only the folder's one server creates its PKI.
    const pki = loadPki(dir);
    const { policy, tokens } = loadPolicy(pki.saKey, pki.saPub);
    const authn = new Authenticator(pki.saPub, policy);
    const cluster = new Cluster(dir, {
      cluster: opts.cluster ?? "growbin-sandbox",
      nodes: opts.nodes ?? 4,
      podsPerNode: opts.podsPerNode ?? 0,
    });
    const resumed = cluster.load();
    if (!resumed) {
      if (opts.cluster) cluster.config.cluster = opts.cluster;
    }
    const timeScale = opts.timeScale ?? defaultTimeScale();
    const queues: QueueBackend = opts.amqpUrl
      ? new RabbitQueues(cluster, opts.amqpUrl, opts.rabbitmqVhost ?? "/", opts.rabbitmqApi)
      : new ModelQueues(cluster, opts.rabbitmqVhost ?? "/");
    const lifecycle = new Lifecycle(cluster, timeScale, queues);
    const { https: server, front } = createTlsServer(pki);
    const sockets = new Set<Socket>();
    front.on("connection", (s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    let resolveClosed!: () => void;
    const closed = new Promise<void>((r) => (resolveClosed = r));
    let stopping: Promise<void> | null = null;
    const ctx: Ctx = {
      cluster,
      lifecycle,
      queues,
      timeScale,
      adminToken: secrets.adminToken,
      port: 0,
      rabbitmqApi: opts.amqpUrl ? opts.rabbitmqApi : undefined,
      stop: () =>
        (stopping ??= (async () => {
          if (lifecycle.current) lifecycle.current.cancelled = true;
          await new Promise<void>((r) => {
            front.close(() => r());
            server.close();
            for (const s of sockets) s.destroy();
          });
          await queues.close();
          if (queues instanceof ModelQueues) cluster.flush();
          cluster.close();
          cluster.flush();
          release();
          resolveClosed();
        })()),
    };
    server.on("request", (req, res) => void route(ctx, secrets, { authn, policy }, req, res));
    await new Promise<void>((resolve, reject) => {
      front.once("error", (e: NodeJS.ErrnoException) =>
        reject(
          new Error(
            e.code === "EADDRINUSE"
              ? `port ${opts.port} on 127.0.0.1 is already in use; pick another with --port N, or --port 0 for a free one`
              : e.message,
          ),
        ),
      );
      front.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
    });
    const port = (front.address() as AddressInfo).port;
    ctx.port = port;
    if (opts.provisioned && !cluster.phasesDone.has("apps")) {
      // Same phases, zero wait: a healthy cluster at once for tests.
      const fast = new Lifecycle(cluster, 0, queues);
      const { done } = fast.start("provision", (op) => fast.provision(op));
      await done;
    } else if (resumed) await queues.apply();
    const mgmt = opts.amqpUrl && opts.rabbitmqApi ? stripCreds(opts.rabbitmqApi) : null;
    const creds = {
      caCert: pki.caCert,
      adminCert: pki.adminCert,
      adminKey: pki.adminKey,
      readerToken: tokenFor(tokens, "growbin-portal-reader"),
      operatorToken: tokenFor(tokens, "growbin-portal-operator"),
    };
    const endpoints = writeClientFiles(dir, cluster.config.cluster, port, secrets, creds, mgmt, process.pid);
    return { port, url: `https://127.0.0.1:${port}`, endpoints, stop: ctx.stop, closed };
  } catch (e) {
    release();
    throw e;
  }
}

function stripCreds(u: string): string {
  const url = new URL(u);
  url.username = "";
  url.password = "";
  return url.toString().replace(/\/$/, "");
}

function bearer(req: http.IncomingMessage): string | null {
  const h = req.headers.authorization ?? "";
  return h.startsWith("Bearer ") ? h.slice(7).trim() : null;
}

type Guard = { authn: Authenticator; policy: Policy };

// Authentication then authorization, as filters/authentication.go and filters/authorization.go answer them.
function guard(g: Guard, req: http.IncomingMessage, info: RequestInfo): { code: number; body: unknown } | UserInfo {
  const user = g.authn.authenticate(req);
  if (!user) return { code: 401, body: statusBody(401, "Unauthorized") };
  const d = authorize(g.policy, user, info);
  if (d.allowed) return user;
  const f = forbidden(user, info, d.reason);
  return { code: 403, body: statusBody(403, f.message, "Forbidden", f.details) };
}

async function route(
  ctx: Ctx,
  secrets: ReturnType<typeof loadSecrets>,
  g: Guard,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  try {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    // EC2 and the sandbox's own admin API share the listener but not Kubernetes' authentication.
    if (url.pathname === "/ec2" || url.pathname === "/ec2/") {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      return await handleEc2(ctx, secrets, req, res, Buffer.concat(chunks));
    }
    if (url.pathname.startsWith("/admin/v1/")) {
      if (bearer(req) !== ctx.adminToken)
        return sendJson(res, 401, statusBody(401, "Unauthorized: admin token required"));
      return await handleAdmin(ctx, req, res, url);
    }
    const who = guard(g, req, requestInfo(req.method ?? "GET", url));
    if ("code" in who) {
      res.setHeader("X-Content-Type-Options", "nosniff");
      return sendJson(res, who.code, who.body);
    }
    if (req.method === "POST" && url.pathname === SSAR_PATH) return await handleAccessReview(g.policy, who, req, res);
    if (handleHealth(ctx, res, url)) return;
    if (url.pathname === "/version") return sendJson(res, 200, VERSION);
    if (handleServiceProxy(ctx, req, res, url)) return;
    if (await handleK8s(ctx, req, res, url)) return;
    sendJson(res, 404, statusBody(404, "the server could not find the requested resource", "NotFound", {}));
  } catch (e) {
    if (res.headersSent) return void res.end();
    if (e instanceof ApiError) return sendJson(res, e.code, statusBody(e.code, e.message, e.reason, e.details));
    sendJson(res, 500, statusBody(500, `Internal error occurred: ${(e as Error).message}`));
  }
}
