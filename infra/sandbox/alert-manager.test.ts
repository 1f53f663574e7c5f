import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { AlertModel } from "./alert-manager";
import type { Cluster } from "./cluster";

// The model on recorded objects with a clock the test moves: pending until `for:` has passed, then firing with
// startsAt = when it fired, and gone once the cause is (after the rule's range window for KubePodCrashLooping).
const fixture = (name: string) =>
  JSON.parse(fs.readFileSync(path.resolve("server/cluster/sources/__fixtures__", name), "utf8")).items as any[];
const T0 = Date.parse("2026-11-30T10:00:00Z");
const MIN = 60_000;

function world() {
  const objs: Record<string, any[]> = { pods: fixture("healthy-pods.json"), nodes: fixture("healthy-nodes.json") };
  const store = {
    all: (kind: string, ns?: string) => (objs[kind] ?? []).filter((o) => !ns || o.metadata.namespace === ns),
  };
  let t = T0;
  const model = new AlertModel({ store } as unknown as Cluster, 1, () => t);
  const firing = () => model.alerts().filter((a) => a.labels.alertname !== "Watchdog");
  return { objs, model, firing, at: (ms: number) => (t = T0 + ms) };
}

test("a node NotReady since T0 is pending for 15 minutes, then KubeNodeNotReady fires with startsAt T0+15m", () => {
  const w = world();
  const node = w.objs.nodes!.find((n) => n.metadata.name === "worker-1")!;
  Object.assign(
    node.status.conditions.find((c: any) => c.type === "Ready"),
    { status: "Unknown", lastTransitionTime: new Date(T0).toISOString() },
  );
  w.at(14 * MIN);
  expect(w.firing().filter((a) => a.labels.alertname === "KubeNodeNotReady")).toEqual([]);
  // TargetDown's `for:` is 10 minutes: already firing for the node's kubelet and node-exporter.
  expect(
    w
      .firing()
      .filter((a) => a.labels.alertname === "TargetDown")
      .map((a) => a.labels.job)
      .sort(),
  ).toEqual(["kubelet", "node-exporter"]);
  w.at(15 * MIN);
  const [a] = w.firing().filter((x) => x.labels.alertname === "KubeNodeNotReady");
  expect(a).toMatchObject({
    labels: { node: "worker-1", severity: "warning", namespace: "monitoring", job: "kube-state-metrics" },
    startsAt: new Date(T0 + 15 * MIN).toISOString(),
  });
  node.status.conditions.find((c: any) => c.type === "Ready").status = "True";
  w.at(16 * MIN);
  expect(w.firing()).toEqual([]);
});

test("KubePodCrashLooping stays for the 5-minute window after the crash loop ends, then resolves", () => {
  const w = world();
  const pod = w.objs.pods!.find((p) => p.metadata.name.startsWith("auth-service-"))!;
  const cs = pod.status.containerStatuses[0];
  const running = cs.state;
  cs.state = { waiting: { reason: "CrashLoopBackOff" } };
  cs.lastState = { terminated: { exitCode: 1, finishedAt: new Date(T0).toISOString() } };
  w.at(15 * MIN);
  expect(w.firing().map((a) => a.labels.alertname)).toContain("KubePodCrashLooping");
  cs.state = running;
  w.at(19 * MIN);
  expect(w.firing().map((a) => a.labels.alertname)).toContain("KubePodCrashLooping");
  w.at(21 * MIN);
  expect(w.firing().map((a) => a.labels.alertname)).not.toContain("KubePodCrashLooping");
});

test("a silence that has ended mutes nothing and shows as expired", () => {
  const w = world();
  w.model.addSilence({
    matchers: [{ name: "alertname", value: "Watchdog", isRegex: false }],
    startsAt: new Date(T0 - 2 * MIN).toISOString(),
    endsAt: new Date(T0 - MIN).toISOString(),
    createdBy: "t",
    comment: "old",
  });
  const [dog] = w.model.alerts();
  expect(dog!.status.state).toBe("active");
  expect(w.model.silenceState(w.model.silences[0]!)).toBe("expired");
});
