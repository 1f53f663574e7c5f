// Helpers shared by the sandbox's tests: a sandbox per test file, admin calls, condition waits.
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { startSandbox, type Endpoints } from "./index";

// A temp state folder, removed by the caller.
export function tempDir(prefix = "sandbox-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Starts an in-process sandbox and the real Kubernetes clients pointed at it.
export async function sandboxWithClients(opts: Partial<Parameters<typeof startSandbox>[0]> = {}) {
  const stateDir = opts.stateDir ?? tempDir();
  const sb = await startSandbox({ timeScale: 0.01, ...opts, stateDir });
  // A second sandbox in the same test file must not leave fetch() trusting its CA once it is closed.
  const previous = getGlobalDispatcher();
  trustSandbox(sb.endpoints);
  const kc = new KubeConfig();
  kc.loadFromFile(sb.kubeconfigPath);
  return {
    ...sb,
    stateDir,
    kc,
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    admin: (method: string, p: string, body?: unknown) => adminCall(sb.url, sb.endpoints.adminToken, method, p, body),
    async close() {
      setGlobalDispatcher(previous);
      await sb.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

// Makes the test process's fetch() talk to the sandbox as kubectl with admin.conf does: it trusts the cluster CA
// and presents the kubernetes-admin client certificate (system:masters), which authenticates before any bearer
// token. Tests of identities and RBAC use request() below, which sends exactly the credentials it is given.
export function trustSandbox(ep: Endpoints): void {
  const pki = path.dirname(ep.ca);
  setGlobalDispatcher(
    new Agent({
      connect: {
        ca: fs.readFileSync(ep.ca),
        cert: fs.readFileSync(path.join(pki, "admin.crt")),
        key: fs.readFileSync(path.join(pki, "admin.key")),
      },
    }),
  );
}

// One HTTPS request to the sandbox with only the credentials given (none: anonymous); verifies the cluster CA.
export function request(
  ep: Endpoints,
  method: string,
  p: string,
  opts: {
    token?: string;
    cert?: { cert: string | Buffer; key: string | Buffer };
    body?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; text: string; json?: any; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      ...(opts.headers ?? {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    };
    const req = https.request(
      `${ep.kubernetes}${p}`,
      { method, headers, ca: fs.readFileSync(ep.ca), agent: false, ...(opts.cert ?? {}) },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          let json;
          try {
            json = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, text, json, headers: res.headers });
        });
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

// Calls the admin endpoint; returns status and parsed body (text for streamed operations).
export async function adminCall(
  url: string,
  token: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const r = await fetch(`${url}/admin/v1${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  try {
    return { status: r.status, body: JSON.parse(text) };
  } catch {
    return { status: r.status, body: text };
  }
}

// Polls until fn returns a truthy value; the management API and controllers settle asynchronously.
export async function waitFor<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}

// GET with the bearer token, raw.
export async function kget(
  url: string,
  token: string,
  p: string,
): Promise<{ status: number; text: string; json?: any }> {
  const r = await fetch(`${url}${p}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await r.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: r.status, text, json };
}

// The bearer token written into a kubeconfig, or "" for a client-certificate one (admin.conf): a test's fetch()
// then authenticates with the admin certificate trustSandbox() installed.
export function tokenOf(kubeconfigPath: string): string {
  return /token: (\S+)/.exec(fs.readFileSync(kubeconfigPath, "utf8"))?.[1] ?? "";
}
