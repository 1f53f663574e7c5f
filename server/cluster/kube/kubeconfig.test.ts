import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { KubeConfig } from "@kubernetes/client-node";
import { dump } from "js-yaml";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { KubeError, kubeGetJson, kubePatchJson } from "@/server/cluster/kube/kube-http";
import { loadKubeConfig } from "@/server/cluster/kube/kubeconfig";

// Our kubeconfig reader against @kubernetes/client-node (the reference) on the same files, with real
// certificates from openssl, and a TLS apiserver stand-in that requires the client certificate.

let dir: string;
const pem: Record<string, Buffer> = {};
const b64 = (name: string) => pem[name]!.toString("base64");

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-test-"));
  const pki = path.join(dir, "pki");
  fs.mkdirSync(pki);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: pki, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  ssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=test-ca");
  for (const [name, subj, ext] of [
    ["server", "/CN=kube-apiserver", "subjectAltName=DNS:kube.test\nextendedKeyUsage=serverAuth\n"],
    ["client", "/O=system:masters/CN=kubernetes-admin", "extendedKeyUsage=clientAuth\n"],
  ] as const) {
    ssl("req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subj);
    fs.writeFileSync(path.join(pki, `${name}.ext`), ext);
    ssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${name}.crt`,
      "-days",
      "1",
      "-extfile",
      `${name}.ext`,
    );
  }
  for (const f of ["ca.crt", "server.crt", "server.key", "client.crt", "client.key"])
    pem[f] = fs.readFileSync(path.join(pki, f));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Entry = Record<string, unknown>;
/** A kubeconfig with one cluster "c", one user "u" and a context "ctx" joining them, written to the temp dir. */
function write(name: string, cluster: Entry, user: Entry, patch: (doc: Entry) => void = () => {}): string {
  const doc: Entry = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c", cluster }],
    users: [{ name: "u", user }],
    contexts: [{ name: "ctx", context: { cluster: "c", user: "u" } }],
    "current-context": "ctx",
  };
  patch(doc);
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof doc.raw === "string" ? doc.raw : dump(doc));
  return file;
}

async function reference(file: string) {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  const o: https.RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(o);
  const tls = {
    ca: o.ca,
    cert: o.cert,
    key: o.key,
    rejectUnauthorized: o.rejectUnauthorized ?? true,
    servername: o.servername,
  };
  return {
    server: new URL(kc.getCurrentCluster()!.server).href.replace(/\/$/, ""),
    tls,
    headers: { ...o.headers },
    basic: o.auth,
  };
}

// Our target in the reference's terms: client-node puts basic auth in `auth`, we send the header.
function ours(file: string) {
  const kt = loadKubeConfig(file);
  const { Authorization, ...headers } = kt.auth();
  const basic = Authorization?.startsWith("Basic ")
    ? Buffer.from(Authorization.slice(6), "base64").toString()
    : undefined;
  const { ca, cert, key, rejectUnauthorized, servername } = kt.tls;
  return {
    server: kt.server.href.replace(/\/$/, ""),
    tls: { ca, cert, key, rejectUnauthorized, servername },
    headers: basic || !Authorization ? headers : { ...headers, Authorization },
    basic,
  };
}

const SERVER = "https://10.0.0.10:6443";
describe("kubeconfig reader, compared with @kubernetes/client-node", () => {
  test.each<[string, Entry, Entry, ((d: Entry) => void)?]>([
    [
      "inline CA and client certificate data (kubeadm's admin.conf)",
      { server: SERVER, "certificate-authority-data": "@ca.crt" },
      { "client-certificate-data": "@client.crt", "client-key-data": "@client.key" },
    ],
    [
      "CA, certificate and key files relative to the kubeconfig",
      { server: SERVER, "certificate-authority": "pki/ca.crt" },
      { "client-certificate": "pki/client.crt", "client-key": "pki/client.key" },
    ],
    ["a bearer token", { server: SERVER, "certificate-authority": "pki/ca.crt" }, { token: "abc.def" }],
    ["basic auth", { server: SERVER }, { username: "admin", password: "s3cret:x" }],
    [
      "insecure-skip-tls-verify over http",
      { server: "http://127.0.0.1:8080/", "insecure-skip-tls-verify": true },
      { token: "t" },
    ],
    [
      "tls-server-name",
      { server: "https://127.0.0.1:6443", "certificate-authority-data": "@ca.crt", "tls-server-name": "kube.test" },
      { token: "t" },
    ],
    ["impersonation with as", { server: SERVER }, { token: "t", as: "jane" }],
    [
      "a current-context other than the first",
      { server: SERVER },
      { token: "first" },
      (d) => {
        (d.clusters as Entry[]).push({
          name: "c2",
          cluster: {
            server: "https://second:443/prefix",
            "certificate-authority-data": "@ca.crt",
            "insecure-skip-tls-verify": false,
          },
        });
        (d.users as Entry[]).push({
          name: "u2",
          user: { "client-certificate-data": "@client.crt", "client-key-data": "@client.key" },
        });
        (d.contexts as Entry[]).push({ name: "ctx2", context: { cluster: "c2", user: "u2" } });
        d["current-context"] = "ctx2";
      },
    ],
  ])("%s reads the same as the reference", async (label, cluster, user, patch) => {
    const inline = (e: Entry) =>
      Object.fromEntries(
        Object.entries(e).map(([k, v]) => [k, typeof v === "string" && v.startsWith("@") ? b64(v.slice(1)) : v]),
      );
    const file = write(`${label.replace(/\W+/g, "-")}.yaml`, inline(cluster), inline(user), (d) => {
      patch?.(d);
      for (const list of ["clusters", "users"])
        for (const e of d[list] as { cluster?: Entry; user?: Entry }[])
          e.cluster ? (e.cluster = inline(e.cluster)) : (e.user = inline(e.user!));
    });
    expect(ours(file)).toEqual(await reference(file));
  });

  test("a tokenFile is re-read and trimmed on each call (the reference reads token-file once)", async () => {
    const tokenPath = path.join(dir, "token");
    fs.writeFileSync(tokenPath, "first-token");
    const file = write("token-file.yaml", { server: SERVER }, { tokenFile: "token" });
    const ref = write("token-file-ref.yaml", { server: SERVER }, { "token-file": tokenPath });
    const kt = loadKubeConfig(file);
    expect(kt.auth()).toEqual((await reference(ref)).headers);
    fs.writeFileSync(tokenPath, "rotated-token\n");
    expect(kt.auth()).toEqual({ Authorization: "Bearer rotated-token" });
    fs.rmSync(tokenPath);
    expect(() => kt.auth()).toThrow(`${file}: users[u].tokenFile: cannot read ${tokenPath}: ENOENT`);
  });
});

describe("bad kubeconfigs are refused in one line naming the file and the key", () => {
  const ok = { server: SERVER };
  const token = { token: "t" };
  test.each<[string, Entry, Entry, (d: Entry) => void, string]>([
    ["not YAML", ok, token, (d) => (d.raw = "clusters: [\n  - {name: c"), ": not YAML: "],
    ["YAML that is not a mapping", ok, token, (d) => (d.raw = "just text"), ": not a kubeconfig"],
    ["no current-context", ok, token, (d) => delete d["current-context"], ": current-context: missing"],
    [
      "a current-context that is not in contexts",
      ok,
      token,
      (d) => (d["current-context"] = "gone"),
      ': current-context: no context named "gone"',
    ],
    [
      "a context naming a missing cluster",
      ok,
      token,
      (d) => ((d.contexts as Entry[])[0]!.context = { cluster: "nope", user: "u" }),
      ': contexts[ctx].cluster: no cluster named "nope"',
    ],
    [
      "a context naming a missing user",
      ok,
      token,
      (d) => ((d.contexts as Entry[])[0]!.context = { cluster: "c", user: "nobody" }),
      ': contexts[ctx].user: no user named "nobody"',
    ],
    ["a cluster without a server", {}, token, () => {}, ": clusters[c].server: missing"],
    [
      "a server that is not an http(s) URL",
      { server: "ftp://10.0.0.10" },
      token,
      () => {},
      ': clusters[c].server: "ftp://10.0.0.10" is not an http(s) URL',
    ],
    [
      "a server without a scheme",
      { server: "10.0.0.10:6443" },
      token,
      () => {},
      ': clusters[c].server: "10.0.0.10:6443" is not an http(s) URL',
    ],
    [
      "bad base64 in certificate-authority-data",
      { server: SERVER, "certificate-authority-data": "not base64!" },
      token,
      () => {},
      ": clusters[c].certificate-authority-data: not valid base64",
    ],
    [
      "bad base64 in client-key-data",
      ok,
      { "client-certificate-data": "QUJD", "client-key-data": "QUJ" },
      () => {},
      ": users[u].client-key-data: not valid base64",
    ],
    [
      "a certificate-authority file that is missing",
      { server: SERVER, "certificate-authority": "pki/gone.crt" },
      token,
      () => {},
      ": clusters[c].certificate-authority: cannot read ",
    ],
    [
      "a client-certificate file that is missing",
      ok,
      { "client-certificate": "missing.crt", "client-key": "pki/client.key" },
      () => {},
      ": users[u].client-certificate: cannot read ",
    ],
    [
      "a client certificate without its key",
      ok,
      { "client-certificate": "pki/client.crt" },
      () => {},
      ": users[u].client-key-data: missing",
    ],
    ["a missing tokenFile", ok, { tokenFile: "no-such-token" }, () => {}, ": users[u].tokenFile: cannot read "],
    [
      "a token and a username together",
      ok,
      { token: "t", username: "admin", password: "p" },
      () => {},
      ": users[u]: has both a token and a username/password",
    ],
    [
      "an exec plugin user",
      ok,
      { exec: { command: "aws", args: ["eks", "get-token"] } },
      () => {},
      ": users[u].exec: exec credential plugins are not supported: use a client certificate (kubeadm's admin.conf) or a ServiceAccount token",
    ],
    [
      "an auth-provider user",
      ok,
      { "auth-provider": { name: "oidc" } },
      () => {},
      ": users[u].auth-provider: auth providers are not supported: use a client certificate",
    ],
  ])("%s", (label, cluster, user, patch, message) => {
    const file = write(`bad-${label.replace(/\W+/g, "-")}.yaml`, cluster, user, patch);
    expect(() => loadKubeConfig(file)).toThrow(`${file}${message}`);
    expect(() => loadKubeConfig(file)).not.toThrow(/\n/);
  });

  test("a missing or unreadable file", () => {
    expect(() => loadKubeConfig(path.join(dir, "absent"))).toThrow(`${path.join(dir, "absent")}: cannot read: ENOENT`);
    expect(() => loadKubeConfig(dir)).toThrow(`${dir}: cannot read: EISDIR`);
  });
});

describe("requests over TLS", () => {
  test("a client certificate and tls-server-name reach an apiserver that requires them; PATCH errors carry the Status", async () => {
    const server = https.createServer(
      {
        key: pem["server.key"],
        cert: pem["server.crt"],
        ca: pem["ca.crt"],
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => (body += c.toString()));
        req.on("end", () => {
          const cn = (req.socket as TLSSocket).getPeerCertificate().subject.CN;
          const status = req.url!.includes("/missing") ? 404 : 200;
          res.writeHead(status, { "content-type": "application/json" });
          res.end(
            JSON.stringify(
              status === 404
                ? { kind: "Status", message: 'applications.argoproj.io "missing" not found', code: 404 }
                : { cn, method: req.method, type: req.headers["content-type"], body },
            ),
          );
        });
      },
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const cluster = {
        server: `https://127.0.0.1:${port}`,
        "certificate-authority": "pki/ca.crt",
        "tls-server-name": "kube.test",
      };
      const kt = loadKubeConfig(
        write("tls.yaml", cluster, { "client-certificate": "pki/client.crt", "client-key": "pki/client.key" }),
      );
      const signal = AbortSignal.timeout(5000);
      expect(await kubeGetJson(kt, "/api/v1/namespaces", signal)).toMatchObject({
        cn: "kubernetes-admin",
        method: "GET",
      });
      expect(await kubePatchJson(kt, "/apis/x/v1/things/a", { a: 1 }, signal)).toEqual({
        cn: "kubernetes-admin",
        method: "PATCH",
        type: "application/merge-patch+json",
        body: '{"a":1}',
      });
      const err = await kubePatchJson(kt, "/apis/x/v1/things/missing", {}, signal).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KubeError);
      expect(err).toMatchObject({ status: 404, message: '404 applications.argoproj.io "missing" not found' });
      // Without tls-server-name the certificate (for kube.test) does not match 127.0.0.1.
      const { ["tls-server-name"]: _sni, ...noSni } = cluster;
      const bare = loadKubeConfig(
        write("tls-no-sni.yaml", noSni, { "client-certificate": "pki/client.crt", "client-key": "pki/client.key" }),
      );
      await expect(kubeGetJson(bare, "/api", signal)).rejects.toThrow(/does not match certificate's altnames/);
    } finally {
      server.close();
    }
  });
});
