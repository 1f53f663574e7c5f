// The sandbox's cluster PKI, laid out as kubeadm lays out /etc/kubernetes/pki: a cluster CA, the apiserver's
// serving certificate, the admin client certificate and the ServiceAccount signing key pair.
//
// Certificates are made with the `openssl` command line rather than an npm package: Node can make keys but not
// X.509 certificates, openssl is on every Linux and macOS machine and in CI, it is what the Kubernetes docs use
// for manual certificates ("Certificates" task page, openssl section), and it adds no dependency to the repo.
// Keys are RSA 2048, kubeadm v1.28's only key type (cmd/kubeadm/app/util/pkiutil, rsaKeySize = 2048).
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// PEM text of the files a client or the server needs.
export interface Pki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  saKey: string;
  saPub: string;
}

// kubeadm's apiserver certificate names (certs.go, GetAPIServerAltNames) plus the loopback the sandbox listens on.
const SERVER_DNS = [
  "kubernetes",
  "kubernetes.default",
  "kubernetes.default.svc",
  "kubernetes.default.svc.cluster.local",
  "localhost",
  "master",
];
const SERVER_IPS = ["10.96.0.1", "127.0.0.1"];

function openssl(args: string[], cwd: string): void {
  const r = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (r.error)
    throw new Error(
      `the sandbox makes its cluster certificates with openssl, which could not run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}); install openssl and start again`,
    );
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${(r.stderr || r.stdout).trim().split("\n")[0]}`);
}

function newKey(file: string): void {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  fs.writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
}

// Signs a leaf certificate for `subject` with the CA; `ext` is an openssl extension section body.
function signLeaf(dir: string, name: string, subject: string, ext: string, days: number): void {
  newKey(path.join(dir, `${name}.key`));
  fs.writeFileSync(path.join(dir, `${name}.ext`), `[v3]\n${ext}\n`);
  openssl(["req", "-new", "-key", `${name}.key`, "-subj", subject, "-out", `${name}.csr`], dir);
  openssl(
    [
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      String(days),
      "-sha256",
      "-extfile",
      `${name}.ext`,
      "-extensions",
      "v3",
      "-out",
      `${name}.crt`,
    ],
    dir,
  );
  fs.rmSync(path.join(dir, `${name}.csr`));
  fs.rmSync(path.join(dir, `${name}.ext`));
}

function makePki(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // CA: CN=kubernetes, 10 years, as kubeadm's certs.KubeadmCertRootCA.
  newKey(path.join(dir, "ca.key"));
  fs.writeFileSync(
    path.join(dir, "ca.ext"),
    "[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature,keyEncipherment,keyCertSign\nsubjectKeyIdentifier=hash\n",
  );
  openssl(
    [
      "req",
      "-x509",
      "-new",
      "-key",
      "ca.key",
      "-subj",
      "/CN=kubernetes",
      "-days",
      "3650",
      "-sha256",
      "-config",
      "ca.ext",
      "-extensions",
      "v3",
      "-out",
      "ca.crt",
    ],
    dir,
  );
  fs.rmSync(path.join(dir, "ca.ext"));
  // Leaf certificates: 1 year, as kubeadm's.
  const san = [...SERVER_DNS.map((d) => `DNS:${d}`), ...SERVER_IPS.map((i) => `IP:${i}`)].join(",");
  signLeaf(
    dir,
    "apiserver",
    "/CN=kube-apiserver",
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}`,
    365,
  );
  // kubeadm v1.28's admin.conf: CN=kubernetes-admin, O=system:masters (kubeconfig.go, getKubeConfigSpecsBase).
  signLeaf(
    dir,
    "admin",
    "/O=system:masters/CN=kubernetes-admin",
    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth",
    365,
  );
  const sa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  fs.writeFileSync(path.join(dir, "sa.key"), sa.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, "sa.pub"), sa.publicKey.export({ type: "spki", format: "pem" }));
}

// Loads the folder's PKI (STATE/pki), creating it on first use; kept across restarts like secrets.json.
export function loadPki(stateDir: string): Pki {
  const dir = path.join(stateDir, "pki");
  const files = ["ca.crt", "apiserver.crt", "apiserver.key", "admin.crt", "admin.key", "sa.key", "sa.pub"];
  if (!files.every((f) => fs.existsSync(path.join(dir, f)))) {
    fs.rmSync(dir, { recursive: true, force: true });
    const tmp = `${dir}.${process.pid}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    makePki(tmp);
    fs.renameSync(tmp, dir);
  }
  const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
  return {
    dir,
    caCert: read("ca.crt"),
    serverCert: read("apiserver.crt"),
    serverKey: read("apiserver.key"),
    adminCert: read("admin.crt"),
    adminKey: read("admin.key"),
    saKey: read("sa.key"),
    saPub: read("sa.pub"),
  };
}
