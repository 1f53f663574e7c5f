// The RabbitMQ Cluster Operator's default-user Secret, and the management API's basic auth as RabbitMQ 3.12 answers it.
import { randomBytes } from "node:crypto";
import type http from "node:http";
import type { Cluster } from "./cluster";
import type { K8sObject } from "./types";

// The RabbitmqCluster the seed declares ("rabbitmq" in messaging): the operator names its children after it.
export const CLUSTER_NAME = "rabbitmq";
export const NAMESPACE = "messaging";
// cluster-operator internal/resource/default_user_secret.go: ChildResourceName("default-user").
export const DEFAULT_USER_SECRET = `${CLUSTER_NAME}-default-user`;

// The default user's credentials, as the Secret holds them.
export interface DefaultUser {
  username: string;
  password: string;
}

// cluster-operator's randomEncodedString(24): base64url of 24 random bytes (32 characters, no padding).
const randomEncoded = () => randomBytes(24).toString("base64url");

// cluster-operator's generateUsername(24): "default_user_" then the start of a 32-character random string.
export function generateDefaultUser(): DefaultUser {
  const u = randomEncoded();
  return { username: `default_user_${u.slice(0, u.length - "default_user_".length)}`, password: randomEncoded() };
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

// The Secret exactly as the operator writes it (keys username, password, default_user.conf, provider, type, host, port).
export function buildDefaultUserSecret(user: DefaultUser, ownerUid: string): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: DEFAULT_USER_SECRET,
      namespace: NAMESPACE,
      labels: {
        "app.kubernetes.io/component": "rabbitmq",
        "app.kubernetes.io/name": CLUSTER_NAME,
        "app.kubernetes.io/part-of": "rabbitmq",
      },
      ownerReferences: [
        {
          apiVersion: "rabbitmq.com/v1beta1",
          kind: "RabbitmqCluster",
          name: CLUSTER_NAME,
          uid: ownerUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    type: "Opaque",
    data: {
      "default_user.conf": b64(`default_user = ${user.username}\ndefault_pass = ${user.password}\n`),
      host: b64(`${CLUSTER_NAME}.${NAMESPACE}.svc`),
      password: b64(user.password),
      port: b64("5672"),
      provider: b64("rabbitmq"),
      type: b64("rabbitmq"),
      username: b64(user.username),
    },
  };
}

// Reads the credentials back from the stored Secret; null when the messaging phase has not run.
export function readDefaultUser(c: Cluster): DefaultUser | null {
  const s = c.store.get("secrets", DEFAULT_USER_SECRET, NAMESPACE);
  if (!s?.data?.username || !s.data.password) return null;
  return {
    username: Buffer.from(s.data.username, "base64").toString(),
    password: Buffer.from(s.data.password, "base64").toString(),
  };
}

// Creates the Secret with fresh credentials unless it exists (the operator never rotates it); returns them.
export function ensureDefaultUserSecret(c: Cluster, make: () => DefaultUser = generateDefaultUser): DefaultUser {
  const have = readDefaultUser(c);
  if (have) return have;
  const user = make();
  const uid = ((c.extra.rabbitmqClusterUid as string | undefined) ??= randomBytes(16)
    .toString("hex")
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-"));
  c.store.put("secrets", buildDefaultUserSecret(user, uid));
  return user;
}

// Deletes the Secret, as garbage collection does once the RabbitmqCluster is gone.
export function removeDefaultUserSecret(c: Cluster): void {
  c.store.delete("secrets", DEFAULT_USER_SECRET, NAMESPACE);
  delete c.extra.rabbitmqClusterUid;
}

// A response the management plugin would send instead of the resource.
export interface Refusal {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const REALM = 'Basic realm="RabbitMQ Management"';

// rabbit_web_dispatch_access_control (3.12.10): no credentials is a 401 with the realm and an empty body; wrong
// credentials (or a bearer token, with OAuth 2 off) a 401 with the realm and {"error":"not_authorized",...}.
export function checkManagementAuth(authorization: string | undefined, user: DefaultUser | null): Refusal | null {
  if (!authorization) return { status: 401, headers: { "www-authenticate": REALM, "content-length": "0" }, body: "" };
  const m = /^Basic\s+(\S+)$/i.exec(authorization.trim());
  const decoded = m ? Buffer.from(m[1]!, "base64").toString() : "";
  const i = decoded.indexOf(":");
  if (user && i > 0 && decoded.slice(0, i) === user.username && decoded.slice(i + 1) === user.password) return null;
  const body = JSON.stringify({ error: "not_authorized", reason: "Not_Authorized" });
  return { status: 401, headers: { "www-authenticate": REALM, "content-type": "application/json" }, body };
}

// Writes a refusal.
export function sendRefusal(res: http.ServerResponse, r: Refusal): void {
  res.writeHead(r.status, { ...r.headers, "content-length": String(Buffer.byteLength(r.body)) });
  res.end(r.body);
}
