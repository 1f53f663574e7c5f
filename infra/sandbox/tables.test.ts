import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { humanDuration } from "./tables";
import { sandboxWithClients, tokenOf } from "./test-helpers";

const TABLE =
  "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let token: string;
beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true });
  token = tokenOf(sb.kubeconfigPath);
});
afterAll(() => sb.close());

async function table(p: string): Promise<any> {
  const r = await fetch(`${sb.url}${p}`, { headers: { authorization: `Bearer ${token}`, accept: TABLE } });
  const body = await r.json();
  if (r.status !== 200) throw new Error(`${r.status} ${JSON.stringify(body)}`);
  return body;
}
const names = (t: any) => t.columnDefinitions.map((c: any) => (c.priority ? `${c.name}*` : c.name));
const rowOf = (t: any, name: string) => t.rows.find((r: any) => r.object?.metadata?.name === name)?.cells;

describe("server-side Tables (kubectl get)", () => {
  test("nodes: kubectl's columns, -o wide ones at priority 1, roles from node-role labels", async () => {
    const t = await table("/api/v1/nodes");
    expect(t).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1" });
    expect(names(t)).toEqual([
      "Name",
      "Status",
      "Roles",
      "Age",
      "Version",
      "Internal-IP*",
      "External-IP*",
      "OS-Image*",
      "Kernel-Version*",
      "Container-Runtime*",
    ]);
    expect(rowOf(t, "master")).toEqual([
      "master",
      "Ready",
      "control-plane",
      expect.stringMatching(/^\d+s$/),
      "v1.28.4",
      "10.0.1.10",
      "<none>",
      "Ubuntu 22.04.3 LTS",
      "6.2.0-1017-aws",
      "containerd://1.7.2",
    ]);
    expect(rowOf(t, "worker-1").slice(0, 3)).toEqual(["worker-1", "Ready", "<none>"]);
    expect(t.rows[0].object).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1" });
  });

  test("pods: READY, STATUS, RESTARTS with the last restart's age, and the wide cells", async () => {
    const t = await table("/api/v1/pods?limit=500");
    expect(names(t)).toEqual([
      "Name",
      "Ready",
      "Status",
      "Restarts",
      "Age",
      "IP*",
      "Node*",
      "Nominated Node*",
      "Readiness Gates*",
    ]);
    const ai = t.rows.filter((r: any) => r.cells[0].startsWith("ai-worker-"));
    expect(ai).toHaveLength(3);
    for (const r of ai)
      expect(r.cells).toEqual([
        expect.any(String),
        "1/1",
        "Running",
        expect.any(String),
        expect.any(String),
        expect.stringMatching(/^192\.168\./),
        "worker-2",
        "<none>",
        "<none>",
      ]);
    const etcd = rowOf(t, "etcd-master");
    expect(etcd.slice(1, 4)).toEqual(["1/1", "Running", "0"]);
    expect(etcd[5]).toBe("10.0.1.10");
  });

  test("a crash-looping pod reads CrashLoopBackOff, 0/1, and 'N (Xs ago)' restarts", async () => {
    const pod = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=users-service" }))
      .items[0]!;
    expect(
      (await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod.metadata!.name}` })).status,
    ).toBe(201);
    const cells = (await table(`/api/v1/namespaces/default/pods/${pod.metadata!.name}`)).rows[0].cells;
    expect(cells.slice(1, 3)).toEqual(["0/1", "CrashLoopBackOff"]);
    expect(cells[3]).toMatch(/^5 \(\d+s ago\)$/);
    await sb.admin("POST", "/heal", { all: true });
  });

  test("namespaces, services and Argo CD applications use their printers' columns", async () => {
    const ns = await table("/api/v1/namespaces");
    expect(names(ns)).toEqual(["Name", "Status", "Age"]);
    expect(rowOf(ns, "messaging").slice(0, 2)).toEqual(["messaging", "Active"]);
    const svc = await table("/api/v1/namespaces/messaging/services");
    expect(names(svc)).toEqual(["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector*"]);
    expect(rowOf(svc, "rabbitmq")).toEqual([
      "rabbitmq",
      "ClusterIP",
      "10.96.60.10",
      "<none>",
      "5672/TCP,15672/TCP,15692/TCP",
      expect.any(String),
      "app.kubernetes.io/name=rabbitmq",
    ]);
    const apps = await table("/apis/argoproj.io/v1alpha1/applications");
    expect(names(apps)).toEqual(["Name", "Sync Status", "Health Status", "Revision*", "Project*"]);
    expect(rowOf(apps, "ai-worker")).toEqual([
      "ai-worker",
      "Synced",
      "Healthy",
      expect.stringMatching(/^[0-9a-f]{40}$/),
      "default",
    ]);
  });

  test("includeObject=Object carries the full object, None none, and a bad value is a 400", async () => {
    const full = await table("/api/v1/namespaces?includeObject=Object");
    expect(full.rows[0].object.kind).toBe("Namespace");
    const bare = await table("/api/v1/namespaces?includeObject=None");
    expect(bare.rows[0].object).toBeUndefined();
    const r = await fetch(`${sb.url}/api/v1/namespaces?includeObject=Everything`, {
      headers: { authorization: `Bearer ${token}`, accept: TABLE },
    });
    expect(r.status).toBe(400);
    expect((await r.json()).message).toMatch(/must be 'Metadata', 'Object', 'None', or empty/);
  });

  test("a client that does not ask for a Table gets the plain list", async () => {
    const r = await fetch(`${sb.url}/api/v1/namespaces`, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    });
    expect((await r.json()).kind).toBe("NamespaceList");
  });

  test("watch with a Table Accept streams one-row Tables, column definitions only in the first", async () => {
    const ctl = new AbortController();
    const r = await fetch(`${sb.url}/api/v1/namespaces?watch=true`, {
      headers: { authorization: `Bearer ${token}`, accept: TABLE },
      signal: ctl.signal,
    });
    const reader = r.body!.getReader();
    let text = "";
    while (text.split("\n").length < 3) text += new TextDecoder().decode((await reader.read()).value);
    ctl.abort();
    const [a, b] = text.split("\n").map((l) => l && JSON.parse(l));
    expect(a).toMatchObject({
      type: "ADDED",
      object: { kind: "Table", rows: [{ cells: [expect.any(String), "Active", expect.any(String)] }] },
    });
    expect(a.object.columnDefinitions.map((c: any) => c.name)).toEqual(["Name", "Status", "Age"]);
    expect(b.object.columnDefinitions).toBeNull();
  });
});

test("ages follow apimachinery's HumanDuration", () => {
  expect(
    [
      5e3,
      119e3,
      120e3,
      150e3,
      600e3,
      3 * 3600e3 + 60e3,
      7 * 3600e3 + 30 * 60e3,
      30 * 3600e3,
      50 * 3600e3,
      20 * 86400e3,
      800 * 86400e3,
    ].map(humanDuration),
  ).toEqual(["5s", "119s", "2m", "2m30s", "10m", "3h1m", "7h30m", "30h", "2d2h", "20d", "2y70d"]);
});
