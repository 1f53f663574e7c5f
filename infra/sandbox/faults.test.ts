import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sandboxWithClients, tokenOf, waitFor } from "./test-helpers";

let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let token: string;
beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true });
  token = tokenOf(sb.kubeconfigPath);
});
afterAll(() => sb.close());

const inject = async (body: Record<string, string>) => {
  const r = await sb.admin("POST", "/faults", body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};
const heal = async (id: string) => expect((await sb.admin("POST", "/heal", { id })).status).toBe(200);
const nodeReady = async (name: string) =>
  (await sb.core.readNode({ name })).status!.conditions!.find((c) => c.type === "Ready")!.status;
const firstPod = async (prefix: string) =>
  (await sb.core.listNamespacedPod({ namespace: "default" })).items.find((p) => p.metadata!.name!.startsWith(prefix))!;
// The management API needs credentials the service proxy cannot carry; the Prometheus endpoint needs none.
const metrics = async (p: string) =>
  (
    await fetch(`${sb.url}/api/v1/namespaces/messaging/services/rabbitmq:15692/proxy${p}`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).text();
const queue = async (name: string) => {
  const text = await metrics("/metrics/detailed?family=queue_coarse_metrics&family=queue_consumer_count");
  const value = (m: string) =>
    Number(
      text
        .split("\n")
        .find((l) => l.startsWith(`rabbitmq_detailed_queue_${m}{vhost="/",queue="${name}"} `))!
        .split(" ")[1],
    );
  return { messages: value("messages"), consumers: value("consumers") };
};
const app = async (name: string): Promise<any> =>
  sb.custom.getNamespacedCustomObject({
    group: "argoproj.io",
    version: "v1alpha1",
    namespace: "argocd",
    plural: "applications",
    name,
  });

describe("every fault shows in the API and heal removes it", () => {
  test("node-notready", async () => {
    const id = await inject({ kind: "node-notready", node: "worker-2" });
    expect(await nodeReady("worker-2")).toBe("Unknown");
    const node = await sb.core.readNode({ name: "worker-2" });
    expect(node.spec!.taints!.some((t) => t.key === "node.kubernetes.io/unreachable")).toBe(true);
    await heal(id);
    expect(await nodeReady("worker-2")).toBe("True");
  });

  test.each([
    [
      "pod-crashloop",
      "auth-service-",
      (s: any) => s.state.waiting?.reason === "CrashLoopBackOff" && s.lastState.terminated.exitCode === 1,
    ],
    ["pod-imagepull", "waste-service-", (s: any) => s.state.waiting?.reason === "ImagePullBackOff"],
    [
      "pod-oomkilled",
      "batch-worker-",
      (s: any) => s.lastState.terminated?.reason === "OOMKilled" && s.lastState.terminated.exitCode === 137,
    ],
  ])("%s", async (kind, prefix, broken) => {
    const pod = await firstPod(prefix);
    const id = await inject({ kind, pod: `default/${pod.metadata!.name}` });
    const bad = await sb.core.readNamespacedPod({ name: pod.metadata!.name!, namespace: "default" });
    expect(broken(bad.status!.containerStatuses![0])).toBe(true);
    expect(bad.status!.containerStatuses![0]!.ready).toBe(false);
    const events = await sb.core.listNamespacedEvent({
      namespace: "default",
      fieldSelector: `involvedObject.name=${pod.metadata!.name}`,
    });
    expect(events.items.some((e) => e.type === "Warning")).toBe(true);
    await heal(id);
    const ok = await sb.core.readNamespacedPod({ name: pod.metadata!.name!, namespace: "default" });
    expect(ok.status!.phase).toBe("Running");
    expect(ok.status!.containerStatuses![0]!.ready).toBe(true);
    expect(ok.status!.containerStatuses![0]!.state!.running).toBeTruthy();
  });

  test("etcd-unhealthy", async () => {
    const id = await inject({ kind: "etcd-unhealthy" });
    const r = await fetch(`${sb.url}/readyz?verbose`);
    expect(r.status).toBe(500);
    expect(await r.text()).toContain("[-]etcd failed: reason withheld");
    expect(
      (await sb.core.readNamespacedPod({ name: "etcd-master", namespace: "kube-system" })).status!
        .containerStatuses![0]!.ready,
    ).toBe(false);
    await heal(id);
    expect((await fetch(`${sb.url}/readyz`)).status).toBe(200);
  });

  test("queue-backlog, dlq-growth and consumers-gone in the modeled broker's Prometheus endpoint", async () => {
    expect((await queue("q.ai")).consumers).toBe(3);
    const b = await inject({ kind: "queue-backlog", queue: "q.batch" });
    const backlog = await queue("q.batch");
    expect(backlog.messages).toBeGreaterThanOrEqual(1000);
    expect(backlog.consumers).toBe(0);
    await heal(b);
    expect((await queue("q.batch")).messages).toBeLessThan(100);
    const d = await inject({ kind: "dlq-growth", queue: "q.ai" });
    expect((await queue("q.dlq")).messages).toBeGreaterThan(0);
    await heal(d);
    expect((await queue("q.dlq")).messages).toBe(0);
    const g = await inject({ kind: "consumers-gone" });
    expect((await queue("q.api")).consumers).toBe(0);
    await heal(g);
    expect((await queue("q.api")).consumers).toBe(2);
    expect(await metrics("/metrics")).toMatch(/^rabbitmq_queues 5$/m);
  });

  test("app-outofsync and app-degraded", async () => {
    const o = await inject({ kind: "app-outofsync", app: "ai-worker" });
    expect((await app("ai-worker")).status.sync.status).toBe("OutOfSync");
    await heal(o);
    expect((await app("ai-worker")).status.sync.status).toBe("Synced");
    const d = await inject({ kind: "app-degraded", app: "waste-service" });
    const degraded = await app("waste-service");
    expect(degraded.status.health).toMatchObject({ status: "Degraded" });
    expect(degraded.status.health.message).toMatch(/progress deadline/);
    await heal(d);
    expect((await app("waste-service")).status.health.status).toBe("Healthy");
  });

  test("instance-stopped makes the node go NotReady too", async () => {
    const id = await inject({ kind: "instance-stopped", instance: "storage" });
    expect(await nodeReady("storage")).toBe("Unknown");
    await heal(id);
    expect(await nodeReady("storage")).toBe("True");
  });
});

describe("bad fault requests are refused with a message", () => {
  test.each([
    [{ kind: "node-notready", node: "worker-9" }, 404, /unknown node "worker-9"; nodes: master/],
    [{ kind: "pod-crashloop", pod: "default/ghost" }, 404, /unknown pod "default\/ghost"/],
    [{ kind: "pod-crashloop" }, 400, /needs --pod/],
    [{ kind: "app-degraded", app: "nope" }, 404, /unknown Argo CD application/],
    [{ kind: "queue-backlog", queue: "q.nope" }, 404, /unknown work queue/],
    [{ kind: "meteor-strike" }, 400, /unknown fault kind/],
  ])("%j", async (body, status, msg) => {
    const r = await sb.admin("POST", "/faults", body);
    expect(r.status).toBe(status);
    expect(r.body.message).toMatch(msg);
  });

  test("a duplicate fault is refused, an unknown heal id too, and the admin API needs its token", async () => {
    const id = await inject({ kind: "etcd-unhealthy" });
    expect((await sb.admin("POST", "/faults", { kind: "etcd-unhealthy" })).status).toBe(409);
    expect((await sb.admin("POST", "/heal", { id: "nope" })).status).toBe(404);
    expect((await fetch(`${sb.url}/admin/v1/status`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      401,
    );
    await heal(id);
    await waitFor(async () => (await sb.admin("GET", "/faults")).body.length === 0, "no faults");
  });
});
