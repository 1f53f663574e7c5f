import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { alertProblems, parseAlerts, placeAlert, readAlerts, type AlertInfo } from "@/server/cluster/sources/alerts";
import { loadKubeConfig } from "@/server/cluster/kube/kubeconfig";
import { nodes as loadNodes, pods as loadPods, text } from "@/test/cluster-fixtures";
import { rollupTiers, tiersOfProblem } from "@/server/cluster/health/rollup";
import type { HealthData } from "@/server/cluster/health/detect";
import { TIERS } from "@/server/config/tiers";
import { sandboxWithClients, waitFor } from "@/infra/sandbox/test-helpers";

// Recorded by __fixtures__/record-alerts.ts: a crash loop on auth-service, worker-2 not ready, etcd down, and a
// silence on KubeNodeUnreachable, as the sandbox's Alertmanager answered through the service proxy.
const nodes = loadNodes("alerts-faults-nodes.json");
const pods = loadPods("alerts-faults-pods.json");
const alerts = parseAlerts(text("alerts-faults.json"));
const problems = alertProblems(alerts, nodes, pods);
const byName = (n: string) => problems.filter((p) => p.alert?.name === n);
const tierIds = (p: (typeof problems)[number]) => tiersOfProblem(p, TIERS, nodes).map((t) => t.id);

describe("recorded alerts", () => {
  test("Watchdog is left out; every other alert keeps its name, severity, start and silence", () => {
    expect(alerts.some((a) => a.name === "Watchdog")).toBe(false);
    const unreachable = alerts.find((a) => a.name === "KubeNodeUnreachable")!;
    expect(unreachable).toMatchObject({ severity: "warning", silenced: true, summary: "Node is unreachable." });
    expect(unreachable.startsAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(alerts.find((a) => a.name === "KubePodCrashLooping")).toMatchObject({
      silenced: false,
      runbookUrl: "https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping",
    });
  });

  test("a crash-looping pod's alert lands on its workload's tier, with the runbook in the hint", () => {
    const [p] = byName("KubePodCrashLooping");
    expect(p).toMatchObject({ severity: "warning", namespace: "default", workload: "auth-service", source: "alerts" });
    expect(p!.pod).toMatch(/^auth-service-/);
    expect(p!.hint).toContain(
      "Runbook: https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping",
    );
    expect(tierIds(p!)).toEqual(["2"]);
  });

  test("node alerts go to the node's tier, not kube-state-metrics' namespace; a silenced one is info", () => {
    const [nr] = byName("KubeNodeNotReady");
    expect(nr).toMatchObject({ node: "worker-2", severity: "warning" });
    expect(nr!.namespace).toBeUndefined();
    expect(tierIds(nr!)).toEqual(["2"]);
    const [un] = byName("KubeNodeUnreachable");
    expect(un).toMatchObject({ node: "worker-2", severity: "info" });
    expect(un!.message).toBe("KubeNodeUnreachable: Node is unreachable. (silenced)");
  });

  test("a Deployment's alert names the Deployment, not kube-state-metrics' own pod", () => {
    const p = byName("KubeDeploymentReplicasMismatch").find((x) => x.workload === "auth-service")!;
    expect(p).toMatchObject({ namespace: "default", workload: "auth-service" });
    expect(p.pod).toBeUndefined();
  });

  test("etcd's critical alerts take tier 1 down in the roll-up; warnings degrade tier 2", () => {
    expect(byName("etcdMembersDown")[0]).toMatchObject({ severity: "critical", namespace: "kube-system" });
    const data = {
      ec2: null,
      nodes,
      pods,
      controlPlane: null,
      monitoring: null,
      rabbitmq: null,
      argocd: null,
      alerts: null,
    } satisfies HealthData;
    const tiers = rollupTiers(TIERS, data, problems, []);
    expect(tiers.find((t) => t.id === "1")!.status).toBe("down");
    expect(tiers.find((t) => t.id === "2")!.reasons.some((r) => r.alert?.name === "KubePodCrashLooping")).toBe(true);
  });
});

// One alert of each label shape the stack produces.
const one = (labels: Record<string, string>, severity = "warning"): AlertInfo => ({
  name: labels.alertname ?? "X",
  severity,
  startsAt: "2026-11-30T10:00:00.000Z",
  fingerprint: "0",
  silenced: false,
  inhibited: false,
  summary: null,
  description: "d",
  runbookUrl: null,
  labels: { ...labels, severity },
});

describe("label shapes", () => {
  test("node: the node's tiers (storage carries tiers 3 and 4)", () => {
    expect(placeAlert({ node: "storage", namespace: "monitoring" }, nodes, pods)).toEqual({ node: "storage" });
  });
  test("node-exporter's instance: the node with that InternalIP, not the exporter's pod", () => {
    expect(
      placeAlert(
        { instance: "10.0.1.20:9100", job: "node-exporter", namespace: "monitoring", pod: "node-exporter-abcde" },
        nodes,
        pods,
      ),
    ).toEqual({ node: "storage" });
  });
  test("instance alone: the node by name or address", () => {
    expect(placeAlert({ instance: "worker-1:10250" }, nodes, pods)).toEqual({ node: "worker-1" });
  });
  test("namespace and StatefulSet: the workload", () => {
    expect(
      placeAlert({ namespace: "messaging", statefulset: "rabbitmq-server", pod: "kube-state-metrics-x" }, nodes, pods),
    ).toEqual({ namespace: "messaging", workload: "rabbitmq-server" });
  });
  test("namespace and a pod that is gone: the workload from the pod's name", () => {
    expect(placeAlert({ namespace: "default", pod: "postgres-0" }, nodes, pods)).toEqual({
      namespace: "default",
      pod: "postgres-0",
      workload: "postgres",
    });
    expect(placeAlert({ namespace: "default", pod: "waste-service-6d5f7c8b9-x2k4q" }, nodes, pods).workload).toBe(
      "waste-service",
    );
  });
  test("job, service and namespace only: the namespace's tier", () => {
    const [p] = alertProblems(
      [one({ alertname: "TargetDown", job: "rabbitmq", service: "rabbitmq", namespace: "messaging" })],
      nodes,
      pods,
    );
    expect(tierIds(p!)).toEqual(["3"]);
  });
  test("no placing label: tier 1, where the monitoring stack lives", () => {
    const [p] = alertProblems([one({ alertname: "PrometheusRuleFailures" }, "critical")], nodes, pods);
    expect(p!.severity).toBe("critical");
    expect(tierIds(p!)).toEqual(["1"]);
  });
  test("info and none alerts are no problem", () => {
    expect(
      alertProblems(
        [one({ alertname: "KubeQuotaAlmostFull", namespace: "default" }, "info"), one({ alertname: "Y" }, "none")],
        nodes,
        pods,
      ),
    ).toEqual([]);
  });
});

describe("bad bodies", () => {
  test.each([
    ["<html>oops</html>", /not JSON: <html>oops/],
    ['{"alerts":[]}', /not an alert list: .*expected array/i],
    [
      '[{"labels":{"alertname":"A"},"annotations":{},"startsAt":"2026-11-30T10:00:00Z","endsAt":"2026-11-30T10:04:00Z","updatedAt":"2026-11-30T10:00:00Z","fingerprint":"f","receivers":[]}]',
      /0\.status/,
    ],
    [
      '[{"labels":{"alertname":"A"},"annotations":{},"startsAt":"yesterday","endsAt":"2026-11-30T10:04:00Z","updatedAt":"2026-11-30T10:00:00Z","fingerprint":"f","receivers":[],"status":{"state":"active","silencedBy":[],"inhibitedBy":[]}}]',
      /0\.startsAt/,
    ],
    [
      '[{"labels":{"severity":"warning"},"annotations":{},"startsAt":"2026-11-30T10:00:00Z","endsAt":"2026-11-30T10:04:00Z","updatedAt":"2026-11-30T10:00:00Z","fingerprint":"f","receivers":[],"status":{"state":"firing","silencedBy":[],"inhibitedBy":[]}}]',
      /0\.labels: has no alertname/,
    ],
  ])("%s is refused with where it went wrong", (body, err) => {
    expect(() => parseAlerts(body)).toThrow(err);
  });
});

describe("against a TLS sandbox with the reader identity", () => {
  let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
  beforeAll(async () => {
    sb = await sandboxWithClients({ provisioned: true, timeScale: 0.001 });
  });
  afterAll(() => sb?.close());

  test("a crash loop shows as KubePodCrashLooping on tier 2, and goes after heal", async () => {
    const reader = loadKubeConfig(sb.endpoints.kubeconfigs.reader);
    const pod = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=users-service" }))
      .items[0]!.metadata!.name!;
    const f = await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod}` });
    const a = await waitFor(
      async () => (await readAlerts(reader, AbortSignal.timeout(5000))).find((x) => x.name === "KubePodCrashLooping"),
      "the alert",
    );
    const [p] = alertProblems([a!], [], []);
    expect(p).toMatchObject({ namespace: "default", pod, workload: "users-service" });
    await sb.admin("POST", "/heal", { id: f.body.id });
    await waitFor(
      async () => !(await readAlerts(reader, AbortSignal.timeout(5000))).some((x) => x.name === "KubePodCrashLooping"),
      "resolved",
    );
  });

  test("an identity without the proxy grant gets the permission it lacks named", async () => {
    const operator = loadKubeConfig(sb.endpoints.kubeconfigs.operator);
    await expect(readAlerts(operator, AbortSignal.timeout(5000))).rejects.toThrow(
      /may not get services\/proxy in namespace monitoring/,
    );
  });
});
