// The state folder: secrets kept across restarts, kubeconfig, endpoints.json, and the running server's pid.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// Credentials generated once per state folder (the cluster PKI lives beside them, in pki/).
export interface Secrets {
  adminToken: string;
  accessKeyId: string;
  secretAccessKey: string;
}

// The kubeconfigs `up` writes beside each other in the state folder; their names are the contract.
export const KUBECONFIGS = {
  admin: "admin.conf",
  reader: "reader.kubeconfig",
  operator: "operator.kubeconfig",
} as const;

// What `up` writes for clients; the contract other parts of the repo read.
export interface Endpoints {
  kubernetes: string;
  // The cluster CA (PEM file) that signs the apiserver's certificate: what kubectl's certificate-authority and AWS_CA_BUNDLE take.
  ca: string;
  kubeconfigs: { admin: string; reader: string; operator: string };
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
  if (fs.existsSync(file)) {
    const s = JSON.parse(fs.readFileSync(file, "utf8")) as Secrets;
    return { adminToken: s.adminToken, accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey };
  }
  const s: Secrets = {
    adminToken: randomBytes(24).toString("base64url"),
    accessKeyId: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString("base64").replace(/[+/]/g, "x"),
  };
  fs.writeFileSync(file, JSON.stringify(s, null, 2), { mode: 0o600 });
  return s;
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

// A kubeconfig in the layout kubeadm writes (kubeconfig.go: CreateWithCerts / CreateWithToken), keys sorted as kubectl prints them.
function kubeconfig(cluster: string, server: string, caPem: string, user: string, cred: string[]): string {
  return [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    `    certificate-authority-data: ${b64(caPem)}`,
    `    server: ${server}`,
    `  name: ${cluster}`,
    "contexts:",
    "- context:",
    `    cluster: ${cluster}`,
    `    user: ${user}`,
    `  name: ${user}@${cluster}`,
    `current-context: ${user}@${cluster}`,
    "kind: Config",
    "preferences: {}",
    "users:",
    `- name: ${user}`,
    "  user:",
    ...cred.map((c) => `    ${c}`),
    "",
  ].join("\n");
}

// What the kubeconfigs carry: the CA, the admin client certificate, and the ServiceAccount tokens.
export interface ClientCredentials {
  caCert: string;
  adminCert: string;
  adminKey: string;
  readerToken: string;
  operatorToken: string;
}

// Writes admin.conf (kubeadm's: client certificate, user kubernetes-admin), the reader and operator token
// kubeconfigs, and endpoints.json, all 0600.
export function writeClientFiles(
  dir: string,
  cluster: string,
  port: number,
  s: Secrets,
  creds: ClientCredentials,
  rabbitmqManagement: string | null,
  pid: number,
): Endpoints {
  const server = `https://127.0.0.1:${port}`;
  const files = {
    admin: path.join(dir, KUBECONFIGS.admin),
    reader: path.join(dir, KUBECONFIGS.reader),
    operator: path.join(dir, KUBECONFIGS.operator),
  };
  writeSecure(
    files.admin,
    kubeconfig(cluster, server, creds.caCert, "kubernetes-admin", [
      `client-certificate-data: ${b64(creds.adminCert)}`,
      `client-key-data: ${b64(creds.adminKey)}`,
    ]),
  );
  writeSecure(
    files.reader,
    kubeconfig(cluster, server, creds.caCert, "growbin-portal-reader", [`token: ${creds.readerToken}`]),
  );
  writeSecure(
    files.operator,
    kubeconfig(cluster, server, creds.caCert, "growbin-portal-operator", [`token: ${creds.operatorToken}`]),
  );
  const endpoints: Endpoints = {
    kubernetes: server,
    ca: path.join(dir, "pki", "ca.crt"),
    kubeconfigs: files,
    ec2: {
      endpoint: `${server}/ec2`,
      region: "ap-northeast-2",
      accessKeyId: s.accessKeyId,
      secretAccessKey: s.secretAccessKey,
    },
    rabbitmqManagement,
    adminToken: s.adminToken,
    pid,
  };
  fs.rmSync(path.join(dir, "kubeconfig"), { force: true });
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
      if (pid && alive(pid))
        throw new Error(
          `a sandbox is already running on ${dir} (pid ${pid}); stop it with: npm run sandbox -- down --state ${dir}`,
        );
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
