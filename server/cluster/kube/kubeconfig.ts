import "server-only";
import fs from "node:fs";
import path from "node:path";
import { load } from "js-yaml";

// A kubeconfig reader for the fields a kubeadm admin.conf or a ServiceAccount kubeconfig uses. It replaces the
// Kubernetes JavaScript client's KubeConfig, whose import alone costs ~85 MB per process. Paths resolve
// against the kubeconfig's folder and a token file is trimmed, as kubectl does.

/** The cluster and user of a kubeconfig's current-context, ready for node:https. */
export type KubeTarget = {
  file: string;
  server: URL;
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean; servername?: string };
  /** Request headers for the user; re-reads a tokenFile on each call, as projected tokens rotate. */
  auth: () => Record<string, string>;
};

type Section = Record<string, unknown>;
type Fail = (key: string, message: string) => Error;

const UNSUPPORTED =
  "are not supported: use a client certificate (kubeadm's admin.conf) or a ServiceAccount token (token or tokenFile)";
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Reads a kubeconfig file and resolves its current-context; every bad input throws one line naming the file and key. */
export function loadKubeConfig(file: string): KubeTarget {
  const fail: Fail = (key, message) => new Error(`${file}: ${key}: ${message}`);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = load(text);
  } catch (err) {
    throw new Error(`${file}: not YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (!isSection(doc)) throw new Error(`${file}: not a kubeconfig (expected a YAML mapping)`);
  const contextName = doc["current-context"];
  if (typeof contextName !== "string" || !contextName) throw fail("current-context", "missing");
  const context = entry(doc, "contexts", "context", contextName, "current-context", fail);
  const clusterName = str(context, "cluster", `contexts[${contextName}].cluster`, fail);
  if (!clusterName) throw fail(`contexts[${contextName}].cluster`, "missing");
  const cluster = entry(doc, "clusters", "cluster", clusterName, `contexts[${contextName}].cluster`, fail);
  const userName = str(context, "user", `contexts[${contextName}].user`, fail);
  const user = userName ? entry(doc, "users", "user", userName, `contexts[${contextName}].user`, fail) : {};
  const dir = path.dirname(path.resolve(file));
  return {
    file,
    server: serverUrl(cluster, `clusters[${clusterName}]`, fail),
    tls: tlsOf(cluster, clusterName, user, userName, dir, fail),
    auth: authOf(user, `users[${userName}]`, dir, fail),
  };
}

function isSection(v: unknown): v is Section {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// Finds `{ name, <field>: {...} }` in one of the kubeconfig's named lists.
function entry(doc: Section, list: string, field: string, name: string, from: string, fail: Fail): Section {
  const items = Array.isArray(doc[list]) ? (doc[list] as unknown[]) : [];
  const found = items.find((i) => isSection(i) && i.name === name) as Section | undefined;
  if (!found) throw fail(from, `no ${field} named "${name}" in ${list}`);
  const body = found[field];
  if (!isSection(body)) throw fail(`${list}[${name}].${field}`, "missing");
  return body;
}

function str(s: Section, key: string, where: string, fail: Fail): string | undefined {
  const v = s[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw fail(where, "must be a string");
  return v;
}

function serverUrl(cluster: Section, where: string, fail: Fail): URL {
  const raw = str(cluster, "server", `${where}.server`, fail);
  if (!raw) throw fail(`${where}.server`, "missing");
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:"))
    throw fail(`${where}.server`, `"${raw}" is not an http(s) URL`);
  return url;
}

// Inline base64 data or a file (relative to the kubeconfig's folder); kubectl refuses both at once.
function bytes(
  s: Section,
  dataKey: string,
  fileKey: string,
  where: string,
  dir: string,
  fail: Fail,
): Buffer | undefined {
  const data = str(s, dataKey, `${where}.${dataKey}`, fail);
  const ref = str(s, fileKey, `${where}.${fileKey}`, fail);
  if (data && ref) throw fail(`${where}.${dataKey}`, `set together with ${fileKey}; keep one`);
  if (data) {
    const clean = data.replace(/\s+/g, "");
    if (!BASE64.test(clean)) throw fail(`${where}.${dataKey}`, "not valid base64");
    return Buffer.from(clean, "base64");
  }
  if (ref) return readRef(path.resolve(dir, ref), `${where}.${fileKey}`, fail);
  return undefined;
}

function readRef(file: string, where: string, fail: Fail): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw fail(where, `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function tlsOf(
  cluster: Section,
  clusterName: string,
  user: Section,
  userName: string | undefined,
  dir: string,
  fail: Fail,
): KubeTarget["tls"] {
  const c = `clusters[${clusterName}]`;
  const u = `users[${userName}]`;
  const skip = cluster["insecure-skip-tls-verify"];
  if (skip !== undefined && typeof skip !== "boolean")
    throw fail(`${c}.insecure-skip-tls-verify`, "must be true or false");
  const cert = bytes(user, "client-certificate-data", "client-certificate", u, dir, fail);
  const key = bytes(user, "client-key-data", "client-key", u, dir, fail);
  if (!cert !== !key)
    throw fail(
      `${u}.${cert ? "client-key-data" : "client-certificate-data"}`,
      `missing (a client certificate needs both its certificate and its key)`,
    );
  const tls: KubeTarget["tls"] = { rejectUnauthorized: skip !== true };
  const ca = bytes(cluster, "certificate-authority-data", "certificate-authority", c, dir, fail);
  const servername = str(cluster, "tls-server-name", `${c}.tls-server-name`, fail);
  if (ca) tls.ca = ca;
  if (cert && key) Object.assign(tls, { cert, key });
  if (servername) tls.servername = servername;
  return tls;
}

function authOf(user: Section, u: string, dir: string, fail: Fail): KubeTarget["auth"] {
  if (user.exec !== undefined) throw fail(`${u}.exec`, `exec credential plugins ${UNSUPPORTED}`);
  if (user["auth-provider"] !== undefined) throw fail(`${u}.auth-provider`, `auth providers ${UNSUPPORTED}`);
  const token = str(user, "token", `${u}.token`, fail);
  const tokenKey = user.tokenFile !== undefined ? "tokenFile" : "token-file";
  const tokenRef = str(user, tokenKey, `${u}.${tokenKey}`, fail);
  const username = str(user, "username", `${u}.username`, fail);
  const password = str(user, "password", `${u}.password`, fail) ?? "";
  if ((token || tokenRef) && (username || password))
    throw fail(u, "has both a token and a username/password; keep one");
  const impersonate = str(user, "as", `${u}.as`, fail);
  const extra: Record<string, string> = impersonate ? { "Impersonate-User": impersonate } : {};
  if (token) return () => ({ ...extra, Authorization: `Bearer ${token}` });
  if (tokenRef) {
    // As kubectl: token wins over tokenFile, the file is trimmed; read now to fail at load, then on each call.
    const tokenPath = path.resolve(dir, tokenRef);
    const read = () => {
      const t = readRef(tokenPath, `${u}.${tokenKey}`, fail).toString("utf8").trim();
      if (!t) throw fail(`${u}.${tokenKey}`, `${tokenPath} is empty`);
      return { ...extra, Authorization: `Bearer ${t}` };
    };
    read();
    return read;
  }
  if (username) {
    const basic = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
    return () => ({ ...extra, Authorization: basic });
  }
  return () => ({ ...extra });
}
