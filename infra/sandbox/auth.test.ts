// The sandbox's transport and identities against what kube-apiserver answers: HTTPS only, kubeadm's admin.conf,
// the portal's ServiceAccount tokens and RBAC from infra/kubernetes/portal-rbac.yaml, with kubectl itself.
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadPki } from "./pki";
import { request, sandboxWithClients, tempDir, tokenOf } from "./test-helpers";

const run = promisify(execFile);
let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let reader: string;
let operator: string;
const READER = "system:serviceaccount:growbin-portal:growbin-portal-reader";
const OPERATOR = "system:serviceaccount:growbin-portal:growbin-portal-operator";

beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true, cluster: "growbin-auth" });
  reader = tokenOf(sb.endpoints.kubeconfigs.reader);
  operator = tokenOf(sb.endpoints.kubeconfigs.operator);
});
afterAll(() => sb.close());

const kubectl = (kubeconfig: string, ...args: string[]) =>
  run("kubectl", ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8", timeout: 30_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? 1,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? "",
    }),
  );

describe("transport", () => {
  test("plain HTTP on the port gets Go's 400 'Client sent an HTTP request to an HTTPS server.' and the connection closes", async () => {
    const port = Number(new URL(sb.endpoints.kubernetes).port);
    const reply = await new Promise<string>((resolve, reject) => {
      let got = "";
      const s = net.connect(port, "127.0.0.1", () => s.write("GET /api/v1/nodes HTTP/1.1\r\nHost: x\r\n\r\n"));
      s.on("data", (d) => (got += d.toString("latin1")));
      s.on("close", () => resolve(got));
      s.on("error", reject);
    });
    expect(reply).toBe("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n");
  });

  test("admin.conf has kubeadm's shape: CA data, client certificate data, user kubernetes-admin, context kubernetes-admin@<cluster>", () => {
    const text = fs.readFileSync(sb.kubeconfigPath, "utf8");
    expect(sb.kubeconfigPath).toBe(path.join(sb.stateDir, "admin.conf"));
    expect(text).toMatch(/certificate-authority-data: [A-Za-z0-9+/=]{100,}/);
    expect(text).toMatch(/client-certificate-data: [A-Za-z0-9+/=]{100,}/);
    expect(text).toMatch(/client-key-data: [A-Za-z0-9+/=]{100,}/);
    expect(text).toContain("current-context: kubernetes-admin@growbin-auth");
    expect(text).toContain("- name: kubernetes-admin\n");
    expect(text).not.toMatch(/token:|insecure-skip-tls-verify/);
  });

  test("kubectl with admin.conf lists the nodes: the certificate is verified end to end and CN/O make a system:masters user", async () => {
    const r = await kubectl(sb.kubeconfigPath, "get", "nodes", "-o", "name");
    expect(r.stderr).toBe("");
    expect(r.stdout.trim().split("\n").sort()).toEqual([
      "node/master",
      "node/storage",
      "node/worker-1",
      "node/worker-2",
    ]);
    const del = await kubectl(sb.kubeconfigPath, "get", "pods", "-n", "kube-system", "etcd-master", "-o", "name");
    expect(del.stdout.trim()).toBe("pod/etcd-master");
  });
});

describe("authentication", () => {
  test("no credentials is system:anonymous: /livez, /readyz, /healthz and /version answer, everything else is 403 with the apiserver's Status", async () => {
    for (const p of ["/livez", "/readyz?verbose", "/healthz", "/version"])
      expect((await request(sb.endpoints, "GET", p)).status, p).toBe(200);
    const pods = await request(sb.endpoints, "GET", "/api/v1/pods");
    expect(pods.status).toBe(403);
    expect(pods.json).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      reason: "Forbidden",
      details: { kind: "pods" },
      code: 403,
      message:
        'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" at the cluster scope',
    });
    const root = await request(sb.endpoints, "GET", "/");
    expect(root.json).toMatchObject({
      code: 403,
      details: {},
      message: 'forbidden: User "system:anonymous" cannot get path "/"',
    });
    expect((await request(sb.endpoints, "GET", "/api")).status).toBe(403);
  });

  test("a bad token, and a certificate from another CA or without client-auth usage, are 401 Unauthorized, not anonymous", async () => {
    const unauthorized = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Unauthorized",
      reason: "Unauthorized",
      code: 401,
    };
    const forged = `${reader.split(".").slice(0, 2).join(".")}.${"A".repeat(342)}`;
    for (const token of ["not-a-jwt", forged]) {
      const r = await request(sb.endpoints, "GET", "/livez", { token });
      expect(r.status, token.slice(0, 10)).toBe(401);
      expect(r.json).toEqual(unauthorized);
    }
    const otherDir = tempDir("sandbox-other-pki-");
    const other = loadPki(otherDir);
    expect(
      (await request(sb.endpoints, "GET", "/api/v1/nodes", { cert: { cert: other.adminCert, key: other.adminKey } }))
        .status,
    ).toBe(401);
    fs.rmSync(otherDir, { recursive: true, force: true });
    const pki = path.join(sb.stateDir, "pki");
    const serving = {
      cert: fs.readFileSync(path.join(pki, "apiserver.crt")),
      key: fs.readFileSync(path.join(pki, "apiserver.key")),
    };
    expect((await request(sb.endpoints, "GET", "/api/v1/nodes", { cert: serving })).status).toBe(401);
  });

  test("the ServiceAccount tokens survive a restart of the sandbox on the same state folder", async () => {
    await sb.stop();
    const again = await sandboxWithClients({ stateDir: sb.stateDir });
    try {
      expect(tokenOf(again.endpoints.kubeconfigs.reader)).toBe(reader);
      expect((await request(again.endpoints, "GET", "/api/v1/nodes", { token: reader })).status).toBe(200);
    } finally {
      await again.stop();
      sb = await sandboxWithClients({ stateDir: sb.stateDir });
    }
  });
});

describe("RBAC from infra/kubernetes/portal-rbac.yaml", () => {
  test("the reader lists what health needs and may not write: 403 naming the user, verb, resource and namespace", async () => {
    for (const p of [
      "/api/v1/nodes",
      "/api/v1/pods",
      "/api/v1/namespaces",
      "/api/v1/events",
      "/apis/argoproj.io/v1alpha1/applications",
      "/readyz?verbose",
    ])
      expect((await request(sb.endpoints, "GET", p, { token: reader })).status, p).toBe(200);
    const del = await request(sb.endpoints, "DELETE", "/api/v1/namespaces/kube-system/pods/etcd-master", {
      token: reader,
    });
    expect(del.status).toBe(403);
    expect(del.json).toMatchObject({
      reason: "Forbidden",
      details: { name: "etcd-master", kind: "pods" },
      message: `pods "etcd-master" is forbidden: User "${READER}" cannot delete resource "pods" in API group "" in the namespace "kube-system"`,
    });
    const patch = await request(
      sb.endpoints,
      "PATCH",
      "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/users-service",
      { token: reader, body: "{}", headers: { "content-type": "application/merge-patch+json" } },
    );
    expect(patch.json).toMatchObject({
      code: 403,
      details: { name: "users-service", group: "argoproj.io", kind: "applications" },
      message: `applications.argoproj.io "users-service" is forbidden: User "${READER}" cannot patch resource "applications" in API group "argoproj.io" in the namespace "argocd"`,
    });
  });

  test("the reader reaches only the proxied ports it is named for: a proxy request's name is service:port", async () => {
    const allowed = await request(
      sb.endpoints,
      "GET",
      "/api/v1/namespaces/messaging/services/rabbitmq:15692/proxy/metrics",
      { token: reader },
    );
    expect(allowed.status).not.toBe(403);
    const other = await request(sb.endpoints, "GET", "/api/v1/namespaces/argocd/services/argocd-server:80/proxy/", {
      token: reader,
    });
    expect(other.json).toMatchObject({
      code: 403,
      message: `services "argocd-server:80" is forbidden: User "${READER}" cannot get resource "services/proxy" in API group "" in the namespace "argocd"`,
    });
    const byName = await request(sb.endpoints, "GET", "/api/v1/namespaces/messaging/services/rabbitmq:amqp/proxy/", {
      token: reader,
    });
    expect(byName.status).toBe(403);
  });

  test("the operator may get and patch Applications in argocd, and nothing else", async () => {
    const app = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/users-service";
    expect((await request(sb.endpoints, "GET", app, { token: operator })).status).toBe(200);
    const patched = await request(sb.endpoints, "PATCH", app, {
      token: operator,
      body: JSON.stringify({ metadata: { labels: { touched: "yes" } } }),
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.metadata.labels.touched).toBe("yes");
    const list = await request(sb.endpoints, "GET", "/apis/argoproj.io/v1alpha1/applications", { token: operator });
    expect(list.json.message).toBe(
      `applications.argoproj.io is forbidden: User "${OPERATOR}" cannot list resource "applications" in API group "argoproj.io" at the cluster scope`,
    );
    expect((await request(sb.endpoints, "GET", "/api/v1/nodes", { token: operator })).status).toBe(403);
    expect((await request(sb.endpoints, "DELETE", app, { token: operator })).status).toBe(403);
  });

  test("kubectl with reader.kubeconfig reads pods and is refused a delete with the apiserver's message", async () => {
    const get = await kubectl(sb.endpoints.kubeconfigs.reader, "get", "pods", "-n", "kube-system", "-o", "name");
    expect(get.stdout).toContain("pod/etcd-master");
    const del = await kubectl(sb.endpoints.kubeconfigs.reader, "delete", "pod", "-n", "kube-system", "etcd-master");
    expect(del.code).not.toBe(0);
    expect(del.stderr.trim()).toBe(
      `Error from server (Forbidden): pods "etcd-master" is forbidden: User "${READER}" cannot delete resource "pods" in API group "" in the namespace "kube-system"`,
    );
  });

  test("kubectl auth can-i answers from the same RBAC (SelfSubjectAccessReview)", async () => {
    const can = async (kc: string, ...args: string[]) => (await kubectl(kc, "auth", "can-i", ...args)).stdout.trim();
    expect(await can(sb.endpoints.kubeconfigs.reader, "list", "pods", "-A")).toBe("yes");
    expect(await can(sb.endpoints.kubeconfigs.reader, "delete", "pods", "-n", "kube-system")).toBe("no");
    expect(
      await can(
        sb.endpoints.kubeconfigs.reader,
        "get",
        "services/rabbitmq:15692",
        "--subresource=proxy",
        "-n",
        "messaging",
      ),
    ).toBe("yes");
    expect(await can(sb.endpoints.kubeconfigs.operator, "patch", "applications.argoproj.io", "-n", "argocd")).toBe(
      "yes",
    );
    expect(await can(sb.endpoints.kubeconfigs.operator, "patch", "applications.argoproj.io", "-n", "default")).toBe(
      "no",
    );
    expect(await can(sb.kubeconfigPath, "*", "*")).toBe("yes");
  });
});
