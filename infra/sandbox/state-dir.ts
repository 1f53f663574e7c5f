// The state folder: secrets kept across restarts, kubeconfig, endpoints.json, and the running server's pid.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// Credentials generated once per state folder.
export interface Secrets {
  token: string;
  adminToken: string;
  accessKeyId: string;
  secretAccessKey: string;
}

// What `up` writes for clients; the contract other parts of the repo read.
export interface Endpoints {
  kubernetes: string;
  ec2: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  rabbitmqManagement: string | null;
  adminToken: string;
  pid: number;
}

// The state folder from --state, $SANDBOX_STATE or .data/sandbox.
export function resolveStateDir(flag?: string): string {
  return path.resolve(flag ?? process.env.SANDBOX_STATE ?? ".data/sandbox");
}

// Loads the folder's secrets, creating them on first use.
export function loadSecrets(dir: string): Secrets {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, "secrets.json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8"));
  const s: Secrets = {
    token: randomBytes(24).toString("base64url"),
    adminToken: randomBytes(24).toString("base64url"),
    accessKeyId: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString("base64").replace(/[+/]/g, "x"),
  };
  fs.writeFileSync(file, JSON.stringify(s, null, 2), { mode: 0o600 });
  return s;
}

// Writes the kubeconfig (http, so insecure-skip-tls-verify) and endpoints.json, both 0600.
export function writeClientFiles(dir: string, cluster: string, port: number, s: Secrets, rabbitmqManagement: string | null, pid: number): Endpoints {
  const server = `http://127.0.0.1:${port}`;
  const kubeconfig = [
    "apiVersion: v1", "kind: Config", "clusters:", `- name: ${cluster}`, "  cluster:", `    server: ${server}`, "    insecure-skip-tls-verify: true",
    "users:", `- name: ${cluster}-admin`, "  user:", `    token: ${s.token}`,
    "contexts:", `- name: ${cluster}`, "  context:", `    cluster: ${cluster}`, `    user: ${cluster}-admin`, "    namespace: default",
    `current-context: ${cluster}`, "",
  ].join("\n");
  const endpoints: Endpoints = {
    kubernetes: server,
    ec2: { endpoint: `${server}/ec2`, region: "ap-northeast-2", accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    rabbitmqManagement, adminToken: s.adminToken, pid,
  };
  writeSecure(path.join(dir, "kubeconfig"), kubeconfig);
  writeSecure(path.join(dir, "endpoints.json"), JSON.stringify(endpoints, null, 2));
  return endpoints;
}

function writeSecure(file: string, body: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, body, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

// The endpoints of the server last started on this folder, if the file exists.
export function readEndpoints(dir: string): Endpoints | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, "endpoints.json"), "utf8"));
  } catch {
    return null;
  }
}

// True while the process runs; an exited, not-yet-reaped (zombie) process counts as gone.
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

// Claims the folder for one server via an exclusive pid file; a stale file (dead pid) is taken over.
export function claimFolder(dir: string, owner: number): () => void {
  const file = path.join(dir, "server.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${owner}\n`, { flag: "wx", mode: 0o600 });
      return () => {
        try {
          if (fs.readFileSync(file, "utf8").trim() === String(owner)) fs.unlinkSync(file);
        } catch {}
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(fs.readFileSync(file, "utf8").trim());
      if (pid && alive(pid)) throw new Error(`a sandbox is already running on ${dir} (pid ${pid}); stop it with: npm run sandbox -- down --state ${dir}`);
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`cannot claim ${dir}`);
}

// The pid of the server holding the folder, if it is alive.
export function runningPid(dir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, "server.pid"), "utf8").trim());
    return pid && alive(pid) ? pid : null;
  } catch {
    return null;
  }
}
