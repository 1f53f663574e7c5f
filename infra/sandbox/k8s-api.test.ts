import { ApiException, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { kget, request, sandboxWithClients, tokenOf, waitFor } from "./test-helpers";

let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let token: string;
beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true });
  token = tokenOf(sb.kubeconfigPath);
});
afterAll(() => sb.close());

describe("kubernetes API through @kubernetes/client-node", () => {
  test("lists the seed's 4 nodes with tier labels and a providerID tied to the EC2 instance", async () => {
    const nodes = await sb.core.listNode();
    expect(nodes.items.map((n) => n.metadata!.name).sort()).toEqual(["master", "storage", "worker-1", "worker-2"]);
    const master = nodes.items.find((n) => n.metadata!.name === "master")!;
    expect(master.metadata!.labels!["node-role.kubernetes.io/control-plane"]).toBe("");
    expect(master.metadata!.labels!["growbin.app/tier"]).toBe("1");
    expect(master.metadata!.labels!["node.kubernetes.io/instance-type"]).toBe("t3.large");
    expect(master.spec!.providerID).toMatch(/^aws:\/\/\/ap-northeast-2a\/i-0[0-9a-f]{16}$/);
    const storage = nodes.items.find((n) => n.metadata!.name === "storage")!;
    expect(storage.metadata!.labels!["growbin.app/role"]).toBe("storage");
    expect(storage.metadata!.labels!["growbin.app/tier"]).toBe("3-4");
    expect(nodes.items.every((n) => n.status!.conditions!.some((c) => c.type === "Ready" && c.status === "True"))).toBe(
      true,
    );
  });

  test("lists every pod the seed names, with owners and container statuses", async () => {
    const pods = await sb.core.listPodForAllNamespaces();
    const names = pods.items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`);
    for (const n of [
      "messaging/rabbitmq-server-0",
      "default/postgres-0",
      "kube-system/etcd-master",
      "monitoring/prometheus-kube-prometheus-stack-prometheus-0",
      "monitoring/alertmanager-kube-prometheus-stack-alertmanager-0",
    ])
      expect(names).toContain(n);
    const count = (prefix: string) => names.filter((n) => n.startsWith(`default/${prefix}-`)).length;
    expect([
      count("auth-service"),
      count("users-service"),
      count("locations-service"),
      count("waste-service"),
      count("ai-worker"),
      count("batch-worker"),
    ]).toEqual([2, 1, 1, 2, 3, 2]);
    expect(names.some((n) => n.startsWith("monitoring/kube-prometheus-stack-grafana-"))).toBe(true);
    const ai = pods.items.filter((p) => p.metadata!.name!.startsWith("ai-worker-"));
    expect(ai[0]!.metadata!.ownerReferences![0]!.kind).toBe("ReplicaSet");
    expect(ai.every((p) => p.spec!.nodeName === "worker-2")).toBe(true);
    expect(ai.reduce((s, p) => s + p.status!.containerStatuses![0]!.restartCount, 0)).toBeGreaterThan(0);
    const etcd = pods.items.find((p) => p.metadata!.name === "etcd-master")!;
    expect(etcd.metadata!.ownerReferences![0]!.kind).toBe("Node");
  });

  test("filters pods by namespace, labelSelector and spec.nodeName", async () => {
    const ns = await sb.core.listNamespacedPod({
      namespace: "default",
      labelSelector: "app in (auth-service,users-service)",
    });
    expect(ns.items.length).toBe(3);
    const onStorage = await sb.core.listPodForAllNamespaces({ fieldSelector: "spec.nodeName=storage" });
    expect(onStorage.items.length).toBeGreaterThan(0);
    expect(onStorage.items.every((p) => p.spec!.nodeName === "storage")).toBe(true);
    const notDefault = await sb.core.listPodForAllNamespaces({
      fieldSelector: "metadata.namespace!=default",
      labelSelector: "k8s-app",
    });
    expect(notDefault.items.every((p) => p.metadata!.namespace !== "default" && p.metadata!.labels!["k8s-app"])).toBe(
      true,
    );
  });

  test("pages with limit/continue and returns every pod exactly once", async () => {
    const all = await sb.core.listPodForAllNamespaces();
    const seen: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await sb.core.listPodForAllNamespaces({ limit: 7, _continue: cont });
      seen.push(...page.items.map((p) => p.metadata!.uid!));
      cont = page.metadata!._continue;
      if (cont) expect(page.metadata!.remainingItemCount).toBeGreaterThan(0);
      pages++;
    } while (cont);
    expect(pages).toBe(Math.ceil(all.items.length / 7));
    expect(new Set(seen).size).toBe(all.items.length);
  });

  test("a malformed selector, limit or continue token gets the apiserver's 400 Status, and the server keeps serving", async () => {
    for (const q of [
      "labelSelector=app%20in%20(a",
      "fieldSelector=spec.bogus%3Dx",
      "limit=abc",
      "continue=not-a-token",
    ]) {
      const r = await kget(sb.url, token, `/api/v1/pods?${q}`);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ kind: "Status", status: "Failure", reason: "BadRequest", code: 400 });
    }
    await expect(sb.core.listPodForAllNamespaces({ labelSelector: "=bad" })).rejects.toMatchObject({ code: 400 });
    expect((await sb.core.listNode()).items.length).toBe(4);
  });

  test("403 for anonymous, 404 Status on unknown paths and objects, discovery and health without auth", async () => {
    const anon = await request(sb.endpoints, "GET", "/api/v1/nodes");
    expect(anon.status).toBe(403);
    expect(anon.json).toMatchObject({ kind: "Status", code: 403, reason: "Forbidden" });
    const unknown = await kget(sb.url, token, "/api/v1/nope");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ kind: "Status", code: 404 });
    await expect(sb.core.readNode({ name: "ghost" })).rejects.toMatchObject({ code: 404 });
    expect((await kget(sb.url, token, "/api")).json.versions).toEqual(["v1"]);
    expect((await kget(sb.url, token, "/apis")).json.groups.map((g: any) => g.name)).toEqual([
      "apps",
      "coordination.k8s.io",
      "argoproj.io",
    ]);
    expect((await fetch(`${sb.url}/version`).then((r) => r.json())).gitVersion).toBe("v1.28.4");
    expect(await fetch(`${sb.url}/livez`).then((r) => r.text())).toBe("ok");
    expect(await fetch(`${sb.url}/readyz?verbose`).then((r) => r.text())).toContain("[+]etcd ok");
  });

  test("reads namespaces, services and events", async () => {
    const ns = (await sb.core.listNamespace()).items.map((n) => n.metadata!.name);
    for (const n of ["kube-system", "monitoring", "argocd", "messaging", "default", "cert-manager"])
      expect(ns).toContain(n);
    const svc = await sb.core.readNamespacedService({ name: "rabbitmq", namespace: "messaging" });
    expect(svc.spec!.ports!.find((p) => p.name === "management")!.port).toBe(15672);
    expect(Array.isArray((await sb.core.listEventForAllNamespaces()).items)).toBe(true);
  });
});

describe("Argo CD Applications", () => {
  const app = { group: "argoproj.io", version: "v1alpha1", namespace: "argocd", plural: "applications" };
  test("lists the workloads' applications, Synced and Healthy after provisioning", async () => {
    const list: any = await sb.custom.listNamespacedCustomObject(app);
    expect(list.items.map((a: any) => a.metadata.name).sort()).toEqual([
      "ai-worker",
      "auth-service",
      "batch-worker",
      "locations-service",
      "users-service",
      "waste-service",
    ]);
    expect(
      list.items.every((a: any) => a.status.sync.status === "Synced" && a.status.health.status === "Healthy"),
    ).toBe(true);
  });

  test("a refresh annotation patch is consumed and a sync operation patch runs to Succeeded", async () => {
    const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
    await sb.custom.patchNamespacedCustomObject(
      { ...app, name: "auth-service", body: { metadata: { annotations: { "argocd.argoproj.io/refresh": "hard" } } } },
      merge,
    );
    await waitFor(async () => {
      const a: any = await sb.custom.getNamespacedCustomObject({ ...app, name: "auth-service" });
      return !a.metadata.annotations?.["argocd.argoproj.io/refresh"];
    }, "refresh annotation consumed");
    await sb.admin("POST", "/faults", { kind: "app-outofsync", app: "auth-service" });
    await sb.custom.patchNamespacedCustomObject(
      {
        ...app,
        name: "auth-service",
        body: { operation: { initiatedBy: { username: "portal" }, sync: { revision: "main", prune: false } } },
      },
      merge,
    );
    const done: any = await waitFor(async () => {
      const a: any = await sb.custom.getNamespacedCustomObject({ ...app, name: "auth-service" });
      return a.status.operationState?.phase === "Succeeded" && !a.operation ? a : null;
    }, "sync Succeeded");
    expect(done.status.sync.status).toBe("Synced");
    expect((await sb.admin("GET", "/faults")).body.some((f: any) => f.kind === "app-outofsync")).toBe(false);
  });

  test("a JSON patch works, strategic merge on a CRD gets 415 and a broken body 400", async () => {
    const res = await fetch(`${sb.url}/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/users-service`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json-patch+json" },
      body: JSON.stringify([{ op: "add", path: "/metadata/labels/team", value: "api" }]),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).metadata.labels.team).toBe("api");
    const smp = await fetch(`${sb.url}/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/users-service`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/strategic-merge-patch+json" },
      body: "{}",
    });
    expect(smp.status).toBe(415);
    const broken = await fetch(`${sb.url}/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/users-service`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/merge-patch+json" },
      body: "{not json",
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ kind: "Status", code: 400 });
    await expect(
      sb.custom.patchNamespacedCustomObject(
        { ...app, name: "nope", body: {} },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      ),
    ).rejects.toBeInstanceOf(ApiException);
  });
});
