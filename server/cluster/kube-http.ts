import "server-only";
import http from "node:http";
import https from "node:https";
import { KubeConfig } from "@kubernetes/client-node";

// Raw GETs through a kubeconfig: the client's own auth and TLS options (applyToHTTPSOptions), but no
// model conversion, which costs more than the request itself on large pod lists.

/** A Kubernetes API error with the apiserver's status code and its Status message. */
export class KubeError extends Error {
  override name = "KubeError";
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

const agents = new Map<string, http.Agent>();

function agentFor(server: URL, tls: https.AgentOptions): http.Agent {
  const key = `${server.origin}|${tls.rejectUnauthorized ?? ""}|${tls.ca ? "ca" : ""}|${tls.cert ? "cert" : ""}`;
  let a = agents.get(key);
  if (!a) {
    a = server.protocol === "https:" ? new https.Agent({ keepAlive: true, maxSockets: 32, ...tls }) : new http.Agent({ keepAlive: true, maxSockets: 32 });
    agents.set(key, a);
  }
  return a;
}

/** Loads a kubeconfig file (the one cluster credential). */
export function loadKubeConfig(file: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  if (!kc.getCurrentCluster()) throw new Error(`kubeconfig ${file} has no current cluster`);
  return kc;
}

/** GETs a path; returns the body as text, or throws KubeError with the apiserver's message. */
export async function kubeGetText(kc: KubeConfig, path: string, signal: AbortSignal, accept = "application/json"): Promise<{ status: number; text: string }> {
  const server = new URL(kc.getCurrentCluster()!.server);
  const opts: https.RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const tls: https.AgentOptions = { ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized, servername: opts.servername };
  const base = server.pathname.replace(/\/+$/, "");
  const mod = server.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      {
        protocol: server.protocol, hostname: server.hostname, port: server.port || (server.protocol === "https:" ? 443 : 80),
        method: "GET", path: base + path, headers: { ...(opts.headers as Record<string, string>), accept }, auth: opts.auth,
        agent: agentFor(server, tls), signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", (e) => reject(signal.aborted ? new Error("timed out") : e));
    req.end();
  });
}

/** GETs a path and parses JSON; a non-2xx answer becomes a KubeError with the Status message. */
export async function kubeGetJson<T>(kc: KubeConfig, path: string, signal: AbortSignal): Promise<T> {
  const { status, text } = await kubeGetText(kc, path, signal);
  if (status < 200 || status >= 300) throw new KubeError(`${status} ${statusMessage(text)}`, status);
  return JSON.parse(text) as T;
}

function statusMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { message?: string; error?: string };
    return (j.message ?? j.error ?? text).slice(0, 200);
  } catch {
    return text.trim().slice(0, 200) || "no body";
  }
}

type ListPage<T> = { items: T[]; metadata?: { continue?: string } };

/** Lists every item of a collection in pages of 500 (limit + continue), mapping each page as it lands. */
export async function kubeListAll<T, U>(kc: KubeConfig, path: string, query: Record<string, string>, signal: AbortSignal, map: (item: T) => U): Promise<U[]> {
  const out: U[] = [];
  let cont: string | undefined;
  do {
    const q = new URLSearchParams({ ...query, limit: "500", ...(cont ? { continue: cont } : {}) });
    const page = await kubeGetJson<ListPage<T>>(kc, `${path}?${q}`, signal);
    for (const item of page.items ?? []) out.push(map(item));
    cont = page.metadata?.continue || undefined;
  } while (cont);
  return out;
}
