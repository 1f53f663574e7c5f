import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sandboxWithClients, tokenOf } from "./test-helpers";

let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let token: string;
beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true });
  token = tokenOf(sb.kubeconfigPath);
});
afterAll(() => sb.close());

async function events(selector = ""): Promise<any[]> {
  const r = await fetch(`${sb.url}/api/v1/events?fieldSelector=${encodeURIComponent(selector)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await r.json()).items;
}
const about = (evs: any[], name: string) => evs.filter((e) => e.involvedObject.name === name);
const reasons = (evs: any[]) => evs.map((e) => e.reason);

describe("events of a provision", () => {
  test("a Deployment's pod: ScalingReplicaSet, SuccessfulCreate, Scheduled, then the kubelet's Pulling/Pulled/Created/Started", async () => {
    const all = await events();
    const pod = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=users-service" }))
      .items[0]!;
    const name = pod.metadata!.name!;
    const rs = pod.metadata!.ownerReferences![0]!.name;
    expect(about(all, "users-service").filter((e) => e.involvedObject.kind === "Deployment")).toEqual([
      expect.objectContaining({
        reason: "ScalingReplicaSet",
        message: `Scaled up replica set ${rs} to 1`,
        source: { component: "deployment-controller" },
      }),
    ]);
    expect(about(all, rs)).toEqual([
      expect.objectContaining({
        reason: "SuccessfulCreate",
        message: `Created pod: ${name}`,
        involvedObject: expect.objectContaining({ kind: "ReplicaSet" }),
      }),
    ]);
    const mine = about(all, name);
    expect(reasons(mine).sort()).toEqual(["Created", "Pulled", "Pulling", "Scheduled", "Started"]);
    const scheduled = mine.find((e) => e.reason === "Scheduled");
    expect(scheduled).toMatchObject({
      message: `Successfully assigned default/${name} to worker-1`,
      reportingComponent: "default-scheduler",
      action: "Binding",
      source: {},
      eventTime: expect.stringMatching(/\.\d{6}Z$/),
    });
    const started = mine.find((e) => e.reason === "Started");
    expect(started).toMatchObject({
      source: { component: "kubelet", host: "worker-1" },
      count: 1,
      involvedObject: {
        kind: "Pod",
        namespace: "default",
        uid: pod.metadata!.uid,
        fieldPath: "spec.containers{users-service}",
      },
    });
  });

  test("nodes register (kubelet Starting, node-controller RegisteredNode) and go Ready; CoreDNS waits for the CNI", async () => {
    const master = about(await events("involvedObject.kind=Node"), "master");
    expect(reasons(master)).toEqual(
      expect.arrayContaining([
        "Starting",
        "NodeHasSufficientMemory",
        "NodeAllocatableEnforced",
        "RegisteredNode",
        "NodeNotReady",
        "NodeReady",
      ]),
    );
    const ready = master.find((e) => e.reason === "NodeReady");
    expect(ready).toMatchObject({
      metadata: { namespace: "default" },
      source: { component: "kubelet", host: "master" },
      involvedObject: { uid: "master" },
    });
    expect(ready.involvedObject.namespace).toBeUndefined();
    const coredns = (await events("reason=FailedScheduling")).filter((e) =>
      e.involvedObject.name.startsWith("coredns-"),
    );
    expect(coredns).toHaveLength(2);
    expect(coredns[0].message).toBe(
      "0/4 nodes are available: 4 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling..",
    );
    const apps = await events("involvedObject.kind=Application,involvedObject.name=ai-worker");
    expect(apps.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        "Updated sync status: OutOfSync -> Synced",
        "Updated health status: Progressing -> Healthy",
      ]),
    );
  });
});

describe("events of faults", () => {
  test("pod-crashloop: 5 more Started and BackOff x5 through the correlator, one event each", async () => {
    const pod = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=locations-service" }))
      .items[0]!;
    const f = (await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod.metadata!.name}` })).body;
    const evs = await events(
      `involvedObject.name=${pod.metadata!.name},involvedObject.namespace=default,involvedObject.uid=${pod.metadata!.uid}`,
    );
    const backoff = evs.filter((e) => e.reason === "BackOff");
    expect(backoff).toHaveLength(1);
    expect(backoff[0]).toMatchObject({
      type: "Warning",
      count: 5,
      message: `Back-off restarting failed container locations-service in pod ${pod.metadata!.name}_default(${pod.metadata!.uid})`,
    });
    expect(evs.filter((e) => e.reason === "Started").map((e) => e.count)).toEqual([6]);
    expect(evs.find((e) => e.reason === "Pulled" && e.message.endsWith("already present on machine"))).toBeDefined();
    await sb.admin("POST", "/heal", { id: f.id });
    expect((await events(`involvedObject.name=${pod.metadata!.name},reason=Started`)).map((e) => e.count)).toEqual([7]);
  });

  test("pod-imagepull: Pulling, Failed (ErrImagePull), BackOff and Failed (ImagePullBackOff)", async () => {
    const pod = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=batch-worker" }))
      .items[0]!;
    await sb.admin("POST", "/faults", { kind: "pod-imagepull", pod: `default/${pod.metadata!.name}` });
    const msgs = (await events(`involvedObject.name=${pod.metadata!.name}`)).map(
      (e) => `${e.type} ${e.reason}: ${e.message}`,
    );
    expect(msgs).toEqual(
      expect.arrayContaining([
        "Warning Failed: Error: ErrImagePull",
        'Normal BackOff: Back-off pulling image "ghcr.io/growbin/backend:celery-3.0.0"',
        "Warning Failed: Error: ImagePullBackOff",
      ]),
    );
    expect(
      msgs.some((m) =>
        m.startsWith(
          'Warning Failed: Failed to pull image "ghcr.io/growbin/backend:celery-3.0.0": rpc error: code = NotFound',
        ),
      ),
    ).toBe(true);
  });

  test("pod-oomkilled records SystemOOM on the node; etcd-unhealthy records Unhealthy on etcd", async () => {
    const pod = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=auth-service" }))
      .items[0]!;
    await sb.admin("POST", "/faults", { kind: "pod-oomkilled", pod: `default/${pod.metadata!.name}` });
    const oom = await events("involvedObject.kind=Node,reason=SystemOOM");
    expect(oom[0]).toMatchObject({
      type: "Warning",
      involvedObject: { name: "worker-1" },
      message: expect.stringMatching(/^System OOM encountered, victim process: auth-service, pid: \d+$/),
    });
    await sb.admin("POST", "/faults", { kind: "etcd-unhealthy" });
    const un = await events("involvedObject.name=etcd-master,reason=Unhealthy");
    expect(un[0]).toMatchObject({ type: "Warning", count: 3, involvedObject: { fieldPath: "spec.containers{etcd}" } });
  });

  test("node-notready: node-controller NodeNotReady on the node and 'Node is not ready' on each of its pods; heal: NodeReady", async () => {
    const f = (await sb.admin("POST", "/faults", { kind: "node-notready", node: "storage" })).body;
    const nodeEv = (await events("involvedObject.kind=Node,involvedObject.name=storage,source=node-controller")).filter(
      (e) => e.reason === "NodeNotReady",
    );
    const node = await sb.core.readNode({ name: "storage" });
    expect(nodeEv).toEqual([
      expect.objectContaining({
        type: "Normal",
        message: "Node storage status is now: NodeNotReady",
        involvedObject: expect.objectContaining({ uid: node.metadata!.uid }),
      }),
    ]);
    const podEv = (await events("reason=NodeNotReady,involvedObject.kind=Pod")).filter(
      (e) => e.involvedObject.namespace === "default" && e.involvedObject.name === "postgres-0",
    );
    expect(podEv).toEqual([expect.objectContaining({ type: "Warning", message: "Node is not ready" })]);
    await sb.admin("POST", "/heal", { id: f.id });
    const ready = await events("involvedObject.name=storage,reason=NodeReady");
    expect(ready[0].count).toBe(2);
  });

  test("app faults record Argo CD's ResourceUpdated; instance-stopped heal records a kubelet restart and Rebooted", async () => {
    await sb.admin("POST", "/faults", { kind: "app-degraded", app: "waste-service" });
    expect(
      (await events("involvedObject.name=waste-service,involvedObject.kind=Application")).map((e) => e.message),
    ).toContain("Updated health status: Healthy -> Degraded");
    const f = (await sb.admin("POST", "/faults", { kind: "instance-stopped", instance: "worker-2" })).body;
    await sb.admin("POST", "/heal", { id: f.id });
    const evs = await events("involvedObject.name=worker-2,involvedObject.kind=Node");
    expect(evs.find((e) => e.reason === "Rebooted")).toMatchObject({
      type: "Warning",
      message: expect.stringMatching(/^Node worker-2 has been rebooted, boot id: [0-9a-f-]{36}$/),
    });
    expect(evs.find((e) => e.reason === "Starting")!.count).toBe(2);
  });
});
