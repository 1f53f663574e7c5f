import { describe, expect, test } from "vitest";
import states from "@/server/cluster/sources/__fixtures__/kubectl-pod-states.json";
import { nodeCells, nodeProblems, toNodeInfo } from "@/server/cluster/sources/nodes";
import { podCells, type RawPod } from "@/server/cluster/sources/pod-status";
import { podProblem, toPodInfo } from "@/server/cluster/sources/pods";
import { nodes, pods, raw, RECORDED_AT, rawPods } from "@/test/cluster-fixtures";

// The problem rules read kubectl's status and the restart of the container that restarted, so a later
// restart of another container (a sidecar, a re-run init container) cannot hide an OOM kill.
const now = RECORDED_AT;

describe("restarts and OOM kills", () => {
  test("a sidecar's restart after the app container's OOM kill does not hide it", () => {
    const [p] = pods("pod-sidecar-restart-after-oom.json");
    expect(podCells(p!, now).slice(1, 4)).toEqual(["2/2", "Running", "3 (6m59s ago)"]);
    expect(p).toMatchObject({ lastTermination: "Error", lastRestartContainer: "log-shipper" });
    const pr = podProblem(p!, now)!;
    expect(pr.type).toBe("pod-oomkilled");
    expect(pr.message).toContain(
      "was OOMKilled (memory limit 512Mi) in container ai-worker; restarted 3 times, last exit Error in log-shipper",
    );
  });

  test("an init container that re-ran after the OOM kill no longer counts once the pod is initialized", () => {
    const [p] = pods("pod-init-restart-after-oom.json");
    expect(p).toMatchObject({ restarts: 1, lastTermination: "OOMKilled", lastRestartContainer: "ai-worker" });
    expect(podProblem(p!, now)).toMatchObject({
      type: "pod-oomkilled",
      message: expect.stringContaining("in container ai-worker"),
    });
  });

  test("an OOM kill more than an hour old is history, not a problem", () => {
    const [p] = pods("pod-sidecar-restart-after-oom.json");
    expect(podProblem(p!, Date.parse("2026-11-26T15:00:00Z"))).toBeNull();
  });

  test("a crash-looping sidecar is a crash loop (kubectl: Init:CrashLoopBackOff) pointing at its log", () => {
    const raw = rawPods("pod-sidecar-restart-after-oom.json")[0]!;
    const sc = raw.status!.initContainerStatuses![0]!;
    Object.assign(sc, {
      ready: false,
      started: false,
      restartCount: 6,
      state: { waiting: { reason: "CrashLoopBackOff" } },
    });
    const p = toPodInfo(raw);
    expect(p.status).toBe("Init:CrashLoopBackOff");
    const pr = podProblem(p, now)!;
    expect(pr.type).toBe("pod-crashloop");
    expect(pr.hint).toContain(`kubectl logs --previous -n default ${p.name} -c log-shipper`);
  });
});

describe("states kubectl prints that the rules used to misread", () => {
  const state = (name: string) => toPodInfo(states.find((c) => c.name === name)!.pod as RawPod);

  test("a pod held by scheduling gates is pending, with why and what lifts it", () => {
    const pr = podProblem(
      state("a pod held by schedulingGates shows SchedulingGated"),
      Date.parse("2026-11-26T10:30:00Z"),
    )!;
    expect(pr).toMatchObject({
      type: "pod-pending",
      message: expect.stringContaining("is Pending: SchedulingGated: Scheduling is blocked"),
    });
    expect(pr.hint).toContain("schedulingGates");
  });

  test("a finished pod being deleted is not reported as Terminating", () => {
    expect(
      podProblem(state("a finished pod being deleted keeps Completed (terminal phases are not Terminating)"), now),
    ).toBeNull();
  });

  test("a pod with no phase says so instead of an empty status", () => {
    expect(podProblem(state("a pod with no phase prints an empty STATUS"), now)!.message).toBe(
      "Pod default/users-service-6d9c8-nophs has no phase yet",
    );
  });
});

describe("nodes", () => {
  test("Ready=Unknown prints NotReady, and the problem keeps the condition's status and message", () => {
    const list = nodes("node-notready-nodes.json");
    const w1 = list.find((n) => n.name === "worker-1")!;
    expect(nodeCells(w1, now).slice(0, 3)).toEqual(["worker-1", "NotReady", "<none>"]);
    expect(w1.conditions.find((c) => c.type === "Ready")).toMatchObject({
      status: "Unknown",
      reason: "NodeStatusUnknown",
    });
    expect(nodeProblems(list)[0]!.message).toMatch(
      /^Node worker-1 is NotReady \(Ready is Unknown\): Kubelet stopped posting node status/,
    );
    expect(
      nodeCells(
        list.find((n) => n.name === "master")!,
        now,
      ).slice(1, 3),
    ).toEqual(["Ready", "control-plane"]);
  });

  test("a node with no Ready condition prints Unknown and is reported", () => {
    const [n] = raw<{ items: Parameters<typeof toNodeInfo>[0][] }>("healthy-nodes.json").items;
    const info = toNodeInfo({
      ...n!,
      status: { ...n!.status, conditions: n!.status!.conditions!.filter((c) => c.type !== "Ready") },
    });
    expect(nodeCells(info, now)[1]).toBe("Unknown");
    expect(nodeProblems([info])[0]!.message).toBe("Node master reports no Ready condition (kubectl: Unknown)");
  });
});
