import "server-only";
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { describeDenied } from "@/server/cluster/kube/kube-denied";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";

// Raw requests through a kubeconfig's target (server/cluster/kube/kubeconfig.ts): no generated client and no
// model conversion, which cost more than the request itself on large pod lists.

/** A Kubernetes API error with the apiserver's status code and its Status message. */
export class KubeError extends Error {
  override name = "KubeError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const agents = new Map<string, http.Agent>();

/**
 * How long an idle kept-alive socket is kept. kube-apiserver closes idle connections after 90 s (IdleTimeout in
 * staging/src/k8s.io/apiserver/pkg/server/secure_serving.go) and, like any Go server, sends no Keep-Alive hint;
 * Node's agent keeps free sockets forever unless told. Dropping them well before the server (and before the 60 s
 * idle timeout of an AWS load balancer, should one front it) means the portal, not the server, closes them.
 */
export const IDLE_SOCKET_MS = 30_000;

// One keep-alive agent per server and TLS identity, so re-loading the same kubeconfig reuses its sockets.
function agentFor({ server, tls }: KubeTarget): http.Agent {
  const id = createHash("sha256");
  for (const b of [tls.ca, tls.cert, tls.key]) id.update(b ?? "").update("\0");
  const key = `${server.origin}|${tls.rejectUnauthorized}|${tls.servername ?? ""}|${id.digest("hex")}`;
  let a = agents.get(key);
  if (!a) {
    const opts = { keepAlive: true, maxSockets: 32, timeout: IDLE_SOCKET_MS };
    a = server.protocol === "https:" ? new https.Agent({ ...opts, ...tls }) : new http.Agent(opts);
    agents.set(key, a);
  }
  return a;
}

type Answer = { status: number; text: string };

// A request that failed on a kept-alive socket the server had already closed: nothing of a response arrived.
class StaleSocket extends Error {}

function once(
  kt: KubeTarget,
  method: string,
  path: string,
  signal: AbortSignal,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  const { server } = kt;
  const base = server.pathname.replace(/\/+$/, "");
  const mod = server.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = mod.request(
      {
        protocol: server.protocol,
        hostname: server.hostname,
        port: server.port || (server.protocol === "https:" ? 443 : 80),
        method,
        path: base + path,
        headers: { "user-agent": "growbin-ops-portal", ...kt.auth(), ...headers },
        agent: agentFor(kt),
        signal,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (signal.aborted) return reject(new Error("timed out"));
      // The race Node's docs describe for keep-alive (http.ClientRequest, request.reusedSocket): the server closed
      // the idle socket as this request went out on it, so "socket hang up"/ECONNRESET/EPIPE before any response.
      const stale = req.reusedSocket && !answered && (e.code === "ECONNRESET" || e.code === "EPIPE");
      reject(stale ? Object.assign(new StaleSocket(e.message), { cause: e }) : e);
    });
    req.end(body);
  });
}

// Retries once, on a new socket, a GET that died on a stale kept-alive socket: it never reached the server's
// handler, and GET is idempotent. Writes are never retried.
async function kubeRequest(
  kt: KubeTarget,
  method: string,
  path: string,
  signal: AbortSignal,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  try {
    return await once(kt, method, path, signal, headers, body);
  } catch (err) {
    if (!(err instanceof StaleSocket)) throw err;
    if (method !== "GET") throw (err as Error).cause as Error;
    // Its idle siblings were likely closed by the same server timer: drop them so the retry opens a new socket.
    for (const list of Object.values(agentFor(kt).freeSockets)) for (const s of list ?? []) s.destroy();
    return once(kt, method, path, signal, headers, body).catch((e: unknown) => {
      throw e instanceof StaleSocket ? (e.cause as Error) : e;
    });
  }
}

/** GETs a path; returns the body as text, or throws KubeError with the apiserver's message. */
export async function kubeGetText(
  kt: KubeTarget,
  path: string,
  signal: AbortSignal,
  accept = "application/json",
): Promise<{ status: number; text: string }> {
  return kubeRequest(kt, "GET", path, signal, { accept });
}

/** PATCHes a path (a merge patch by default); returns the patched object, or throws KubeError on non-2xx. */
export async function kubePatchJson<T = unknown>(
  kt: KubeTarget,
  path: string,
  body: unknown,
  signal: AbortSignal,
  contentType = "application/merge-patch+json",
): Promise<T> {
  const json = JSON.stringify(body);
  const { status, text } = await kubeRequest(
    kt,
    "PATCH",
    path,
    signal,
    { accept: "application/json", "content-type": contentType, "content-length": String(Buffer.byteLength(json)) },
    json,
  );
  if (status < 200 || status >= 300) throw kubeError(kt, status, text);
  return JSON.parse(text) as T;
}

/** The error for a non-2xx answer: the apiserver's message, or for 401/403 what the portal's identity lacks. */
export function kubeError(kt: KubeTarget, status: number, text: string): KubeError {
  const message = statusMessage(text, 2000);
  return new KubeError(describeDenied(status, message, kt.file) ?? `${status} ${message.slice(0, 200)}`, status);
}

/** GETs a path and parses JSON; a non-2xx answer becomes a KubeError with the Status message. */
export async function kubeGetJson<T>(kt: KubeTarget, path: string, signal: AbortSignal): Promise<T> {
  const { status, text } = await kubeGetText(kt, path, signal);
  if (status < 200 || status >= 300) throw kubeError(kt, status, text);
  return JSON.parse(text) as T;
}

function statusMessage(text: string, max = 200): string {
  try {
    const j = JSON.parse(text) as { message?: string; error?: string };
    return (j.message ?? j.error ?? text).slice(0, max);
  } catch {
    return text.trim().slice(0, max) || "no body";
  }
}

type ListPage<T> = { items: T[]; metadata?: { continue?: string } };

/** Lists every item of a collection in pages of 500 (limit + continue), mapping each page as it lands. */
export async function kubeListAll<T, U>(
  kt: KubeTarget,
  path: string,
  query: Record<string, string>,
  signal: AbortSignal,
  map: (item: T) => U,
): Promise<U[]> {
  const out: U[] = [];
  let cont: string | undefined;
  do {
    const q = new URLSearchParams({ ...query, limit: "500", ...(cont ? { continue: cont } : {}) });
    const page = await kubeGetJson<ListPage<T>>(kt, `${path}?${q}`, signal);
    for (const item of page.items ?? []) out.push(map(item));
    cont = page.metadata?.continue || undefined;
  } while (cont);
  return out;
}

/**
 * GETs a path and hands back the response body as it arrives (pod logs with follow=true never end). Each stream
 * gets its own connection rather than one of the shared agent's sockets, so long follows cannot starve the
 * short reads. A non-2xx answer is read whole and thrown as a KubeError. `signal` cancels the request and body.
 */
export function kubeGetStream(
  kt: KubeTarget,
  path: string,
  signal: AbortSignal,
  accept = "*/*",
): Promise<http.IncomingMessage> {
  const { server, tls } = kt;
  const base = server.pathname.replace(/\/+$/, "");
  const mod = server.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      {
        protocol: server.protocol,
        hostname: server.hostname,
        port: server.port || (server.protocol === "https:" ? 443 : 80),
        method: "GET",
        path: base + path,
        headers: { "user-agent": "growbin-ops-portal", accept, ...kt.auth() },
        agent: false,
        signal,
        ...(server.protocol === "https:" ? tls : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(res);
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => reject(kubeError(kt, status, Buffer.concat(chunks).toString("utf8"))));
      },
    );
    req.on("error", (e) => reject(signal.aborted ? new Error("timed out") : e));
    req.end();
  });
}
