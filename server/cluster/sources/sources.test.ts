import { describe, expect, test } from "vitest";
import { appProblems } from "@/server/cluster/sources/argocd";
import { controlPlaneProblems, parseReadyz, toStaticPods } from "@/server/cluster/sources/control-plane";
import { ec2Problems } from "@/server/cluster/sources/ec2";
import { monitoringProblems, toMonitoring } from "@/server/cluster/sources/monitoring";
import { nodeProblems, parseProviderId } from "@/server/cluster/sources/nodes";
import { podProblems } from "@/server/cluster/sources/pods";
import { depthGrowing, queueProblems } from "@/server/cluster/sources/rabbitmq";
import { apps, instances, nodes, pods, queues, RECORDED_AT, text } from "@/test/cluster-fixtures";
import { EXPECTED_QUEUES } from "@/server/config/tiers";

const now = RECORDED_AT;
const types = (list: { type: string }[]) => list.map((p) => p.type);

describe("healthy sandbox", () => {
  test("a freshly provisioned cluster has no problem in any source", () => {
    const n = nodes("healthy-nodes.json");
    expect(nodeProblems(n)).toEqual([]);
    expect(podProblems(pods("healthy-pods.json"), now)).toEqual([]);
    expect(ec2Problems(instances("healthy-ec2.json"), n)).toEqual([]);
    expect(appProblems(apps("healthy-apps.json"))).toEqual([]);
    expect(queueProblems(queues("healthy-queues.prom"), {}, now, EXPECTED_QUEUES)).toEqual([]);
    const kube = pods("healthy-pods.json");
    expect(
      controlPlaneProblems({
        readyz: { ok: true, checks: parseReadyz(text("healthy-readyz.txt")) },
        staticPods: toStaticPods(kube.filter((p) => p.namespace === "kube-system")),
      }),
    ).toEqual([]);
    expect(monitoringProblems(toMonitoring(kube.filter((p) => p.namespace === "monitoring")))).toEqual([]);
  });
});

describe("nodes", () => {
  test("a node whose kubelet stopped posting status is NotReady (Unknown) with the kubelet's message", () => {
    const p = nodeProblems(nodes("node-notready-nodes.json"));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ type: "node-not-ready", severity: "critical", node: "worker-1" });
    expect(p[0]!.message).toContain("Kubelet stopped posting node status");
  });

  test("pressure conditions and cordon are reported per node", () => {
    const n = nodes("healthy-nodes.json");
    n[0]!.conditions.find((c) => c.type === "DiskPressure")!.status = "True";
    n[1]!.cordoned = true;
    expect(types(nodeProblems(n))).toEqual(["node-DiskPressure", "node-cordoned"]);
  });

  test("the providerID gives the zone and instance id", () => {
    expect(parseProviderId("aws:///ap-northeast-2a/i-0123456789abcdef0")).toEqual({
      zone: "ap-northeast-2a",
      instanceId: "i-0123456789abcdef0",
    });
    expect(nodes("healthy-nodes.json").every((n) => n.instanceId?.startsWith("i-0"))).toBe(true);
  });
});

describe("pods", () => {
  const one = (file: string) => podProblems(pods(file), now);
  test("CrashLoopBackOff shows with restarts and the last exit reason", () => {
    const p = one("pod-crashloop.json");
    expect(p.find((x) => x.type === "pod-crashloop")!.message).toMatch(
      /CrashLoopBackOff; restarted \d+ times, last exit Error/,
    );
  });

  test("ImagePullBackOff says the image cannot be pulled", () => {
    expect(one("pod-imagepull.json").find((x) => x.type === "pod-image")!.message).toContain(
      "cannot pull its image (ImagePullBackOff)",
    );
  });

  test("OOMKilled names the memory limit", () => {
    expect(one("pod-oomkilled.json").find((x) => x.type === "pod-oomkilled")!.message).toContain(
      "was OOMKilled (memory limit 512Mi)",
    );
  });

  test("a workload with no ready replica is critical; its pods on a NotReady node are left to the node", () => {
    // The recording holds worker-1's pods only; the DaemonSets there have ready pods on other nodes.
    const list = pods("node-notready-pods.json").filter((p) => p.namespace === "default");
    const p = podProblems(list, now, new Set(["worker-1"]));
    expect(
      p
        .filter((x) => x.type === "workload-unavailable")
        .map((x) => x.workload)
        .sort(),
    ).toEqual(["auth-service", "locations-service", "users-service"]);
    expect(p.some((x) => x.type === "pod-not-ready")).toBe(false);
  });

  test("a pod Pending past the grace period reports why it is unscheduled", () => {
    const list = pods("healthy-pods.json")
      .slice(0, 1)
      .map((p) => ({
        ...p,
        phase: "Pending",
        status: "Pending",
        ready: 0,
        createdAt: new Date(now - 10 * 60_000).toISOString(),
        pending: "Unschedulable: 0/4 nodes are available: 4 Insufficient memory.",
      }));
    expect(podProblems(list, now).find((x) => x.type === "pod-pending")!.message).toContain("Insufficient memory");
  });
});

describe("ec2", () => {
  test("a stopped instance is critical and its node is named", () => {
    const p = ec2Problems(instances("instance-stopped-ec2.json"), nodes("instance-stopped-nodes.json"));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ type: "instance-not-running", severity: "critical", node: "worker-2" });
    expect(p[0]!.message).toMatch(/is stopped: Client.UserInitiatedShutdown/);
  });

  test("a running instance with no node, and a node with no instance, are both flagged", () => {
    const inst = instances("healthy-ec2.json");
    const n = nodes("healthy-nodes.json");
    const withoutNode = ec2Problems(
      inst,
      n.filter((x) => x.name !== "storage"),
    );
    expect(withoutNode.map((p) => [p.type, p.node])).toEqual([["instance-without-node", "storage"]]);
    const withoutInstance = ec2Problems(
      inst.filter((i) => i.node !== "master"),
      n,
    );
    expect(withoutInstance.map((p) => [p.type, p.node])).toEqual([["node-without-instance", "master"]]);
  });
});

describe("control plane and monitoring", () => {
  test("a failed etcd readyz check and the unready etcd pod are both critical", () => {
    const checks = parseReadyz(text("etcd-unhealthy-readyz.txt"));
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(["etcd", "etcd-readiness"]);
    const p = controlPlaneProblems({
      readyz: { ok: false, checks },
      staticPods: toStaticPods(pods("etcd-unhealthy-static-pods.json")),
    });
    expect(types(p)).toEqual(["etcd-unhealthy", "etcd-unhealthy", "static-pod-not-ready"]);
    expect(p[0]!.message).toContain('etcd is unhealthy: the apiserver\'s readyz check "etcd" fails');
    expect(p[2]!.message).toContain("kube-system/etcd-master is not ready");
  });

  test("Grafana with no ready pod is down and a missing Alertmanager is named", () => {
    const mon = pods("healthy-pods.json")
      .filter((p) => p.namespace === "monitoring" && !p.workload.includes("alertmanager"))
      .map((p) => (p.workload.includes("grafana") ? { ...p, ready: 0 } : p));
    expect(monitoringProblems(toMonitoring(mon)).map((p) => p.message)).toEqual([
      "Grafana is down: 0/1 pods ready",
      "Alertmanager is not installed in the monitoring namespace",
    ]);
  });
});

describe("rabbitmq (recorded from the modeled broker's Prometheus endpoint)", () => {
  test("q.dlq above 0 is flagged with its count", () => {
    expect(queueProblems(queues("dlq-growth-queues.prom"), {}, now).map((p) => p.message)).toEqual([
      "q.dlq holds 40 dead-lettered messages",
    ]);
  });

  test("every work queue without consumers is flagged, with the messages waiting", () => {
    const p = queueProblems(queues("queue-backlog-queues.prom"), {}, now);
    expect(p.map((x) => x.message)).toEqual(["q.ai has no consumers (1500 messages waiting)"]);
    expect(
      queueProblems(queues("consumers-gone-queues.prom"), {}, now).filter((x) => x.type === "queue-no-consumers"),
    ).toHaveLength(4);
  });

  test("a depth that rose at every stored sample is growing; a dip or a small rise is not", () => {
    const pts = (...m: number[]) => m.map((messages, i) => ({ time: now - (m.length - i) * 15_000, messages }));
    const p = queueProblems(queues("queue-backlog-queues.prom"), { "q.ai": pts(300, 600, 900, 1200) }, now);
    expect(p.find((x) => x.type === "queue-growing")!.message).toBe("q.ai keeps growing: 300 → 1500 messages in 1 min");
    expect(depthGrowing(pts(10, 50, 40, 100), now)).toBeNull();
    expect(depthGrowing(pts(10, 11, 12, 13), now)).toBeNull();
  });

  test("an expected queue that does not exist is flagged", () => {
    const q = queues("healthy-queues.prom").filter((x) => x.name !== "q.sched");
    expect(queueProblems(q, {}, now, EXPECTED_QUEUES).map((p) => p.message)).toEqual(["Queue q.sched does not exist"]);
  });
});

describe("argocd", () => {
  test("an OutOfSync application is flagged with its target revision", () => {
    expect(appProblems(apps("app-outofsync-apps.json")).map((p) => p.message)).toEqual([
      "Argo CD app waste-service is OutOfSync with main",
    ]);
  });

  test("a Degraded application carries its health message", () => {
    expect(appProblems(apps("app-degraded-apps.json")).map((p) => p.message)).toEqual([
      'Argo CD app waste-service is Degraded: Deployment "waste-service" exceeded its progress deadline',
    ]);
  });

  test("a failed last sync is flagged with its message", () => {
    const a = apps("healthy-apps.json")
      .slice(0, 1)
      .map((x) => ({
        ...x,
        lastOperation: {
          phase: "Failed",
          message: "one or more objects failed to apply",
          startedAt: null,
          finishedAt: null,
        },
      }));
    expect(appProblems(a)[0]!.message).toBe(
      `The last sync of ${a[0]!.name} failed: one or more objects failed to apply`,
    );
  });
});
