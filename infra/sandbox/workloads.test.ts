import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sandboxWithClients, tokenOf, waitFor } from "./test-helpers";

const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let token: string;
beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true });
  token = tokenOf(sb.kubeconfigPath);
});
afterAll(() => sb.close());

async function get(p: string, accept = "application/json"): Promise<any> {
  const r = await fetch(`${sb.url}${p}`, { headers: { authorization: `Bearer ${token}`, accept } });
  return { status: r.status, type: r.headers.get("content-type"), body: await r.json() };
}

describe("apps/v1 controllers", () => {
  test("each Deployment owns a ReplicaSet that owns its pods, uids matching, with ready counts from the pods", async () => {
    const dep = (await get("/apis/apps/v1/namespaces/default/deployments/ai-worker")).body;
    expect(dep).toMatchObject({ kind: "Deployment", spec: { replicas: 3 } });
    await waitFor(
      async () => (await get("/apis/apps/v1/namespaces/default/deployments/ai-worker")).body.status.readyReplicas === 3,
      "ai-worker ready",
    );
    const rss = (await get("/apis/apps/v1/namespaces/default/replicasets")).body.items.filter(
      (r: any) => r.metadata.ownerReferences[0].name === "ai-worker",
    );
    expect(rss).toHaveLength(1);
    expect(rss[0].metadata.ownerReferences[0]).toMatchObject({
      kind: "Deployment",
      uid: dep.metadata.uid,
      controller: true,
    });
    const pods = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=ai-worker" })).items;
    expect(
      pods.every(
        (p) =>
          p.metadata!.ownerReferences![0]!.uid === rss[0].metadata.uid &&
          p.metadata!.labels!["pod-template-hash"] === rss[0].metadata.labels["pod-template-hash"],
      ),
    ).toBe(true);
  });

  test("StatefulSets and DaemonSets own their pods; a DaemonSet wants one pod per node", async () => {
    const sts = (await get("/apis/apps/v1/namespaces/messaging/statefulsets/rabbitmq-server")).body;
    const rabbit = await sb.core.readNamespacedPod({ name: "rabbitmq-server-0", namespace: "messaging" });
    expect(rabbit.metadata!.ownerReferences![0]).toMatchObject({ kind: "StatefulSet", uid: sts.metadata.uid });
    await waitFor(
      async () =>
        (await get("/apis/apps/v1/namespaces/kube-system/daemonsets/calico-node")).body.status.numberReady === 4,
      "calico-node ready on 4 nodes",
    );
    const t = (await get("/apis/apps/v1/namespaces/kube-system/daemonsets", TABLE)).body;
    expect(t.rows.find((r: any) => r.cells[0] === "kube-proxy").cells.slice(0, 7)).toEqual([
      "kube-proxy",
      4,
      4,
      4,
      4,
      4,
      "<none>",
    ]);
  });

  test("`get deploy,sts -A` Tables: READY n/m, UP-TO-DATE, AVAILABLE; StatefulSets READY n/m", async () => {
    await waitFor(
      async () =>
        (await get("/apis/apps/v1/namespaces/default/deployments/auth-service")).body.status.availableReplicas === 2,
      "auth-service available",
    );
    const d = (await get("/apis/apps/v1/deployments", TABLE)).body;
    expect(d.columnDefinitions.map((c: any) => c.name)).toEqual([
      "Name",
      "Ready",
      "Up-to-date",
      "Available",
      "Age",
      "Containers",
      "Images",
      "Selector",
    ]);
    expect(d.rows.find((r: any) => r.cells[0] === "auth-service").cells).toEqual([
      "auth-service",
      "2/2",
      2,
      2,
      expect.any(String),
      "auth-service",
      "ghcr.io/growbin/auth-service:3.0.0",
      "app=auth-service",
    ]);
    const s = (await get("/apis/apps/v1/statefulsets", TABLE)).body;
    expect(s.columnDefinitions.map((c: any) => c.name)).toEqual(["Name", "Ready", "Age", "Containers", "Images"]);
    expect(s.rows.find((r: any) => r.cells[0] === "postgres").cells.slice(0, 2)).toEqual(["postgres", "1/1"]);
  });

  test("a crash-looping pod drops its Deployment's ready count, and heal restores it", async () => {
    const pod = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=waste-service" }))
      .items[0]!;
    await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod.metadata!.name}` });
    await waitFor(
      async () =>
        (await get("/apis/apps/v1/namespaces/default/deployments/waste-service")).body.status.readyReplicas === 1,
      "ready 1/2",
    );
    await sb.admin("POST", "/heal", { all: true });
    await waitFor(
      async () =>
        (await get("/apis/apps/v1/namespaces/default/deployments/waste-service")).body.status.readyReplicas === 2,
      "ready 2/2",
    );
  });
});

describe("leases", () => {
  test("each node has a lease in kube-node-lease held by its kubelet and renewed; a node-notready node's lease stops", async () => {
    const list = (await get("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases")).body;
    expect(list.items.map((l: any) => l.spec.holderIdentity).sort()).toEqual([
      "master",
      "storage",
      "worker-1",
      "worker-2",
    ]);
    expect(list.items[0].spec).toMatchObject({
      leaseDurationSeconds: 40,
      renewTime: expect.stringMatching(/\.\d{6}Z$/),
    });
    const renew = async (n: string) =>
      (await get(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n}`)).body.spec.renewTime;
    const first = await renew("worker-1");
    await waitFor(async () => (await renew("worker-1")) !== first, "worker-1 lease renewed");
    const f = (await sb.admin("POST", "/faults", { kind: "node-notready", node: "worker-1" })).body;
    const stopped = await renew("worker-1");
    const other = await renew("worker-2");
    await waitFor(async () => (await renew("worker-2")) !== other, "worker-2 renewed again");
    expect(await renew("worker-1")).toBe(stopped);
    await sb.admin("POST", "/heal", { id: f.id });
    const t = (await get("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", TABLE)).body;
    expect(t.columnDefinitions.map((c: any) => c.name)).toEqual(["Name", "Holder", "Age"]);
  });
});

describe("discovery", () => {
  test("aggregated discovery (v2beta1) lists every served kind with its scope, short names and subresources", async () => {
    const agg = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    const core = await get("/api", agg);
    expect(core.type).toBe("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList");
    const pods = core.body.items[0].versions[0].resources.find((r: any) => r.resource === "pods");
    expect(pods).toMatchObject({
      scope: "Namespaced",
      shortNames: ["po"],
      responseKind: { kind: "Pod" },
      subresources: [{ subresource: "log" }],
    });
    const apis = (await get("/apis", agg)).body;
    const byGroup = Object.fromEntries(
      apis.items.map((g: any) => [g.metadata.name, g.versions[0].resources.map((r: any) => r.resource)]),
    );
    expect(byGroup).toEqual({
      apps: ["daemonsets", "deployments", "replicasets", "statefulsets"],
      "coordination.k8s.io": ["leases"],
      "argoproj.io": ["applications"],
    });
    expect((await get("/api")).body.kind).toBe("APIVersions");
    expect((await get("/apis/apps/v1")).body.resources.find((r: any) => r.name === "deployments").shortNames).toEqual([
      "deploy",
    ]);
  });

  test("secrets are served: the RabbitMQ operator's default-user Secret once messaging is up", async () => {
    const r = await get("/api/v1/namespaces/messaging/secrets");
    expect(r).toMatchObject({ status: 200, body: { kind: "SecretList" } });
    expect(r.body.items.map((s: any) => s.metadata.name)).toEqual(["rabbitmq-default-user"]);
    expect((await get("/api/v1/namespaces/messaging/secrets/rabbitmq-default-user")).body.kind).toBe("Secret");
    expect((await get("/api/v1/namespaces/messaging/secrets/nope")).status).toBe(404);
  });
});
