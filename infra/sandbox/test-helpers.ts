// Helpers shared by the sandbox's tests: a sandbox per test file, admin calls, condition waits.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { startSandbox } from "./index";

// A temp state folder, removed by the caller.
export function tempDir(prefix = "sandbox-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Starts an in-process sandbox and the real Kubernetes clients pointed at it.
export async function sandboxWithClients(opts: Partial<Parameters<typeof startSandbox>[0]> = {}) {
  const stateDir = opts.stateDir ?? tempDir();
  const sb = await startSandbox({ timeScale: 0.01, ...opts, stateDir });
  const kc = new KubeConfig();
  kc.loadFromFile(sb.kubeconfigPath);
  return {
    ...sb, stateDir, kc,
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    admin: (method: string, p: string, body?: unknown) => adminCall(sb.url, sb.endpoints.adminToken, method, p, body),
    async close() {
      await sb.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

// Calls the admin endpoint; returns status and parsed body (text for streamed operations).
export async function adminCall(url: string, token: string, method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(`${url}/admin/v1${p}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
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
export async function kget(url: string, token: string, p: string): Promise<{ status: number; text: string; json?: any }> {
  const r = await fetch(`${url}${p}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch {}
  return { status: r.status, text, json };
}

// The bearer token written into a kubeconfig.
export function tokenOf(kubeconfigPath: string): string {
  return /token: (\S+)/.exec(fs.readFileSync(kubeconfigPath, "utf8"))![1]!;
}
