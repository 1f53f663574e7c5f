// Who a request is, as kube-apiserver's authenticator chain decides (pkg/kubeapiserver/authenticator/config.go):
// x509 client certificates, then ServiceAccount bearer tokens; the first that succeeds wins. If none succeeds and
// one of them failed (a certificate not signed by the cluster CA, a bad or unknown token) the request is 401; with
// no credentials at all it is system:anonymous (union.NewFailOnError with the anonymous authenticator, on by
// default in kubeadm). Every authenticated user also gets system:authenticated (group.AuthenticatedGroupAdder).
import { createPublicKey, createPrivateKey, createHash, sign, verify, type KeyObject } from "node:crypto";
import type http from "node:http";
import type { TLSSocket } from "node:tls";
import type { Policy, UserInfo } from "./rbac";

// The user of a request without credentials.
export const ANONYMOUS: UserInfo = { name: "system:anonymous", groups: ["system:unauthenticated"] };
const CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";
// The issuer of legacy (Secret-based) ServiceAccount tokens (pkg/serviceaccount/legacy.go).
const LEGACY_ISSUER = "kubernetes/serviceaccount";

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

// A stable uid for a ServiceAccount of this cluster (the real one is random; the sandbox has no etcd to keep it).
function saUid(ns: string, name: string, saPub: string): string {
  const h = createHash("sha256").update(`${ns}/${name}\0${saPub}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// Mints a legacy ServiceAccount token for a token Secret, with the claims the token controller writes (RS256, sa.key).
export function mintLegacyToken(saKeyPem: string, saPubPem: string, ns: string, secret: string, sa: string): string {
  const header = {
    alg: "RS256",
    kid: createHash("sha256")
      .update(createPublicKey(saPubPem).export({ type: "spki", format: "der" }))
      .digest("base64url"),
  };
  const claims = {
    iss: LEGACY_ISSUER,
    "kubernetes.io/serviceaccount/namespace": ns,
    "kubernetes.io/serviceaccount/secret.name": secret,
    "kubernetes.io/serviceaccount/service-account.name": sa,
    "kubernetes.io/serviceaccount/service-account.uid": saUid(ns, sa, saPubPem),
    sub: `system:serviceaccount:${ns}:${sa}`,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign("sha256", Buffer.from(input), createPrivateKey(saKeyPem)))}`;
}

// Authenticates requests against the cluster CA (by the TLS layer) and the ServiceAccount key and policy.
export class Authenticator {
  private readonly saPub: KeyObject;
  constructor(
    private readonly saPubPem: string,
    private readonly policy: Policy,
  ) {
    this.saPub = createPublicKey(saPubPem);
  }

  // The request's user, or null for 401 Unauthorized.
  authenticate(req: http.IncomingMessage): UserInfo | null {
    let failed = false;
    const sock = req.socket as TLSSocket;
    const cert = typeof sock.getPeerCertificate === "function" ? sock.getPeerCertificate() : null;
    if (cert && Object.keys(cert).length) {
      // x509.Verify: chained to the client CA and usable for client auth; an empty CN gives no opinion.
      const eku = (cert as { ext_key_usage?: string[] }).ext_key_usage;
      if (!sock.authorized || (eku && !eku.includes(CLIENT_AUTH_OID))) failed = true;
      else if (cert.subject?.CN) {
        const o = cert.subject.O;
        const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
        const cn = Array.isArray(cert.subject.CN) ? cert.subject.CN[0]! : cert.subject.CN;
        return { name: cn, groups: [...groups, "system:authenticated"] };
      }
    }
    // bearertoken.go: the second space-separated word of "Bearer ..." (scheme case-insensitive); none gives no opinion.
    const parts = (req.headers.authorization ?? "").trim().split(" ");
    if (parts.length >= 2 && parts[0]!.toLowerCase() === "bearer" && parts[1]) {
      const user = this.verifyServiceAccountToken(parts[1]);
      if (user) return user;
      failed = true;
    }
    return failed ? null : ANONYMOUS;
  }

  // A legacy ServiceAccount JWT signed by sa.key whose Secret and ServiceAccount exist (legacy.go's validator).
  private verifyServiceAccountToken(token: string): UserInfo | null {
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    let header: { alg?: string };
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8"));
      claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
    } catch {
      return null;
    }
    if (header.alg !== "RS256" || claims.iss !== LEGACY_ISSUER) return null;
    if (!verify("sha256", Buffer.from(`${parts[0]}.${parts[1]}`), this.saPub, Buffer.from(parts[2]!, "base64url")))
      return null;
    const ns = String(claims["kubernetes.io/serviceaccount/namespace"] ?? "");
    const sa = String(claims["kubernetes.io/serviceaccount/service-account.name"] ?? "");
    const secret = String(claims["kubernetes.io/serviceaccount/secret.name"] ?? "");
    const uid = String(claims["kubernetes.io/serviceaccount/service-account.uid"] ?? "");
    if (!this.policy.serviceAccounts.has(`${ns}/${sa}`) || uid !== saUid(ns, sa, this.saPubPem)) return null;
    if (!this.policy.tokenSecrets.some((s) => s.namespace === ns && s.name === secret && s.serviceAccount === sa))
      return null;
    return {
      name: `system:serviceaccount:${ns}:${sa}`,
      uid,
      groups: ["system:serviceaccounts", `system:serviceaccounts:${ns}`, "system:authenticated"],
    };
  }
}
