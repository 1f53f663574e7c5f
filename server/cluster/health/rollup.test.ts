import { describe, expect, test } from "vitest";
import { parseReadyz, toStaticPods } from "@/server/cluster/sources/control-plane";
import { detectProblems, type HealthData } from "@/server/cluster/health/detect";
import { toMonitoring } from "@/server/cluster/sources/monitoring";
import { rollupTiers, tiersOfProblem, worstStatus } from "@/server/cluster/health/rollup";
import { SOURCE_NAMES, type SourceName } from "@/server/cluster/health/types";
import { apps, instances, nodes, pods, queues, RECORDED_AT, text } from "@/test/cluster-fixtures";
import { EXPECTED_QUEUES, TIERS, tiersOfLabel } from "@/server/config/tiers";

function healthy(): HealthData {
  const all = pods("healthy-pods.json");
  return {
    ec2: instances("healthy-ec2.json"),
    nodes: nodes("healthy-nodes.json"),
    pods: all,
    controlPlane: {
      readyz: { ok: true, checks: parseReadyz(text("healthy-readyz.txt")) },
      staticPods: toStaticPods(all.filter((p) => p.namespace === "kube-system")),
    },
    monitoring: toMonitoring(all.filter((p) => p.namespace === "monitoring")),
    rabbitmq: queues("healthy-queues.json"),
    argocd: apps("healthy-apps.json"),
    alerts: null,
  };
}

function roll(d: HealthData, failed: { source: SourceName; error: string }[] = []) {
  const by = detectProblems(d, RECORDED_AT, {}, EXPECTED_QUEUES);
  const tiers = rollupTiers(
    TIERS,
    d,
    SOURCE_NAMES.flatMap((s) => by[s]),
    failed,
  );
  return Object.fromEntries(tiers.map((t) => [t.id, t]));
}

/** Replaces pods of the healthy list by their recorded faulty versions. */
function withPods(d: HealthData, file: string): HealthData {
  const faulty = pods(file);
  return { ...d, pods: d.pods!.map((p) => faulty.find((f) => f.namespace === p.namespace && f.name === p.name) ?? p) };
}

describe("tier roll-up", () => {
  test("the healthy sandbox rolls up to ok on all 4 tiers, with node and pod counts", () => {
    const t = roll(healthy());
    expect(Object.values(t).map((x) => x.status)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(t["2"]!.nodes.map((n) => n.name)).toEqual(["worker-1", "worker-2"]);
    expect(t["3"]!.nodes.map((n) => n.name)).toEqual(["storage"]);
    expect(t["4"]!.pods.total).toBe(3);
  });

  test("the tier label 3-4 puts the storage node on tiers 3 and 4", () => {
    expect(tiersOfLabel("3-4")).toEqual(["3", "4"]);
    expect(tiersOfLabel("2")).toEqual(["2"]);
  });

  test("worker-1 NotReady takes tier 2 down because the sync API has no ready replica left", () => {
    const d = healthy();
    const t = roll({ ...withPods(d, "node-notready-pods.json"), nodes: nodes("node-notready-nodes.json") });
    expect(t["2"]!.status).toBe("down");
    const msgs = t["2"]!.reasons.map((r) => r.message);
    expect(msgs).toContain("default/auth-service has no ready replica (0/2)");
    // worker-2 still works, so the node itself only degrades the tier.
    expect(t["2"]!.reasons.find((r) => r.type === "node-not-ready")!.severity).toBe("warning");
    expect([t["1"]!.status, t["3"]!.status, t["4"]!.status]).toEqual(["ok", "ok", "ok"]);
  });

  test("a crash-looping auth-service pod degrades tier 2 only", () => {
    const t = roll(withPods(healthy(), "pod-crashloop.json"));
    expect(t["2"]!.status).toBe("degraded");
    expect(t["2"]!.reasons[0]!.message).toMatch(/CrashLoopBackOff/);
    expect([t["1"]!.status, t["3"]!.status, t["4"]!.status]).toEqual(["ok", "ok", "ok"]);
  });

  test("etcd unhealthy takes tier 1 down", () => {
    const d = healthy();
    const cp = {
      readyz: { ok: false, checks: parseReadyz(text("etcd-unhealthy-readyz.txt")) },
      staticPods: toStaticPods(pods("etcd-unhealthy-static-pods.json")),
    };
    const t = roll({ ...withPods(d, "etcd-unhealthy-static-pods.json"), controlPlane: cp });
    expect(t["1"]!.status).toBe("down");
    expect(t["1"]!.reasons[0]!.message).toMatch(/etcd/);
    expect(t["2"]!.status).toBe("ok");
  });

  test("queue backlog and DLQ growth degrade tier 3", () => {
    expect(roll({ ...healthy(), rabbitmq: queues("queue-backlog-queues.json") })["3"]!.reasons[0]!.message).toBe(
      "q.ai has no consumers (1500 messages waiting)",
    );
    const t = roll({ ...healthy(), rabbitmq: queues("dlq-growth-queues.json") });
    expect(t["3"]!.status).toBe("degraded");
    expect(t["3"]!.reasons[0]!.message).toBe("q.dlq holds 40 dead-lettered messages");
  });

  test("an OutOfSync or Degraded Argo CD app degrades the tier its workload runs on", () => {
    expect(roll({ ...healthy(), argocd: apps("app-outofsync-apps.json") })["2"]!.reasons[0]!.message).toContain(
      "OutOfSync",
    );
    expect(roll({ ...healthy(), argocd: apps("app-degraded-apps.json") })["2"]!.status).toBe("degraded");
  });

  test("a stopped instance is the last node of tier 4 and of tier 3: both go down", () => {
    const d = healthy();
    const ec2 = instances("healthy-ec2.json").map((i) => (i.node === "storage" ? { ...i, state: "stopped" } : i));
    const t = roll({ ...d, ec2 });
    expect([t["3"]!.status, t["4"]!.status]).toEqual(["down", "down"]);
    const w2 = roll({ ...d, ec2: instances("instance-stopped-ec2.json"), nodes: nodes("instance-stopped-nodes.json") });
    expect(w2["2"]!.status).toBe("degraded");
    expect(w2["2"]!.reasons.map((r) => r.message).join("\n")).toMatch(/worker-2\) is stopped/);
  });

  test("a failed source leaves its tiers unknown with the error, and the other tiers answer", () => {
    const t = roll({ ...healthy(), rabbitmq: null }, [{ source: "rabbitmq", error: "fetch failed: ECONNREFUSED" }]);
    expect(t["3"]!.status).toBe("unknown");
    expect(t["3"]!.unknown).toEqual([{ source: "rabbitmq", error: "fetch failed: ECONNREFUSED" }]);
    expect([t["1"]!.status, t["2"]!.status, t["4"]!.status]).toEqual(["ok", "ok", "ok"]);
  });

  test("no nodes at all (not provisioned) takes every tier down with the reason", () => {
    const t = roll({ ...healthy(), nodes: [], pods: [], ec2: [] });
    expect(t["1"]!.status).toBe("down");
    expect(t["1"]!.reasons.map((r) => r.message)).toContain("No node of tier 1 is registered (expected master)");
  });

  test("problems land on tiers by queue, workload, namespace, then node", () => {
    const n = nodes("healthy-nodes.json");
    const ids = (p: Parameters<typeof tiersOfProblem>[0]) => tiersOfProblem(p, TIERS, n).map((t) => t.id);
    const base = { type: "x", severity: "warning" as const, source: "pods" as const, message: "", hint: "" };
    expect(ids({ ...base, queue: "q.dlq" })).toEqual(["3"]);
    expect(ids({ ...base, namespace: "default", workload: "postgres" })).toEqual(["4"]);
    expect(ids({ ...base, namespace: "default", workload: "ai-worker" })).toEqual(["2"]);
    expect(ids({ ...base, namespace: "monitoring" })).toEqual(["1"]);
    expect(ids({ ...base, node: "storage" })).toEqual(["3", "4"]);
    expect(worstStatus(["ok", "unknown", "degraded"])).toBe("degraded");
  });
});
