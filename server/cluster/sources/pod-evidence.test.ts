import { describe, expect, test } from "vitest";
import { newestFirst, toEventRow } from "@/server/cluster/reads/events";
import { describeProbe, toPodDetail } from "@/server/cluster/reads/pod-detail";
import { podProblems } from "@/server/cluster/sources/pods";
import { pods, RECORDED_AT, rawPods } from "@/test/cluster-fixtures";

// Each pod problem links to its evidence on the pod page; the page's pure mappings on recorded objects.

const problem = (file: string, type: string) => podProblems(pods(file), RECORDED_AT).find((p) => p.type === type)!;

describe("evidence of pod problems", () => {
  test("a crash loop links to the crashed container's previous log", () => {
    const p = problem("pod-crashloop.json", "pod-crashloop");
    expect(p.evidence).toEqual({
      kind: "log",
      previous: true,
      container: pods("pod-crashloop.json")[0]!.lastRestartContainer,
    });
    expect(p.evidence).toMatchObject({ container: expect.any(String) });
  });

  test("an image pull failure links to the kubelet's Failed event", () => {
    expect(problem("pod-imagepull.json", "pod-image").evidence).toEqual({ kind: "event", reason: "Failed" });
  });

  test("an OOM kill links to the container that was killed, even when another restarted after it", () => {
    expect(problem("pod-oomkilled.json", "pod-oomkilled").evidence).toMatchObject({ kind: "container" });
    // The sidecar restarted later; the OOM kill was the app container's.
    expect(problem("pod-sidecar-restart-after-oom.json", "pod-oomkilled").evidence).toEqual({
      kind: "container",
      container: "ai-worker",
    });
  });

  test("a workload without ready replicas names no single pod, so it has no pod evidence", () => {
    const list = pods("node-notready-pods.json").filter((p) => p.namespace === "default");
    const w = podProblems(list, RECORDED_AT, new Set(["worker-1"])).filter((p) => p.type === "workload-unavailable");
    expect(w.length).toBeGreaterThan(0);
    expect(w.every((p) => p.evidence === undefined)).toBe(true);
  });
});

describe("pod detail mapping", () => {
  test("a native sidecar is listed as a sidecar before the app container, with its own last termination", () => {
    const d = toPodDetail(rawPods("pod-sidecar-restart-after-oom.json")[0]! as Parameters<typeof toPodDetail>[0]);
    expect(d.containers.map((c) => [c.name, c.kind])).toEqual([
      ["log-shipper", "sidecar"],
      ["ai-worker", "app"],
    ]);
    expect(d.containers[0]!.lastTermination).toMatchObject({
      reason: "Error",
      exitCode: 1,
      finishedAt: "2026-11-26T13:50:00Z",
    });
    expect(d.containers[1]!.lastTermination).toMatchObject({ reason: "OOMKilled", exitCode: 137 });
    expect(d.total).toBe(2);
  });

  test("probes read as kubectl describe prints them, with the apiserver's defaults", () => {
    expect(describeProbe({ httpGet: { path: "/healthz", port: 8080, scheme: "HTTP" }, periodSeconds: 5 })).toBe(
      "http-get http://:8080/healthz delay=0s timeout=1s period=5s #success=1 #failure=3",
    );
    expect(describeProbe({ exec: { command: ["cat", "/tmp/healthy"] }, initialDelaySeconds: 3 })).toBe(
      "exec [cat /tmp/healthy] delay=3s timeout=1s period=10s #success=1 #failure=3",
    );
    expect(describeProbe({ tcpSocket: { port: 5672 } })).toBe(
      "tcp-socket :5672 delay=0s timeout=1s period=10s #success=1 #failure=3",
    );
  });

  test("events read FROM as describe does and sort newest first; an events.k8s.io event uses its reporting controller", () => {
    const kubelet = toEventRow({
      metadata: { name: "a", namespace: "default", uid: "1" },
      type: "Warning",
      reason: "BackOff",
      count: 7,
      firstTimestamp: "2026-11-30T10:00:00Z",
      lastTimestamp: "2026-11-30T10:05:00Z",
      source: { component: "kubelet", host: "worker-2" },
      involvedObject: { kind: "Pod", name: "p" },
    });
    const scheduler = toEventRow({
      metadata: { name: "b", namespace: "default", uid: "2" },
      type: "Normal",
      reason: "Scheduled",
      eventTime: "2026-11-30T10:06:00.123456Z",
      firstTimestamp: null,
      lastTimestamp: null,
      reportingComponent: "default-scheduler",
      reportingInstance: "default-scheduler-master",
      source: {},
      involvedObject: { kind: "Pod", name: "p" },
    });
    expect(kubelet).toMatchObject({
      source: "kubelet, worker-2",
      count: 7,
      object: "Pod/p",
      lastSeen: "2026-11-30T10:05:00Z",
    });
    expect(scheduler).toMatchObject({
      source: "default-scheduler, default-scheduler-master",
      count: 1,
      lastSeen: "2026-11-30T10:06:00.123456Z",
    });
    expect(newestFirst([kubelet, scheduler]).map((e) => e.reason)).toEqual(["Scheduled", "BackOff"]);
  });
});
