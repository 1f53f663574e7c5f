import { describe, expect, test } from "vitest";
import cases from "@/server/cluster/sources/__fixtures__/kubectl-printer-cases.json";
import { humanDuration, timestampSince } from "@/server/cluster/sources/kubectl-duration";
import { nodeCells, toNodeInfo } from "@/server/cluster/sources/nodes";
import { podCells, type RawPod } from "@/server/cluster/sources/pod-status";
import { toPodInfo } from "@/server/cluster/sources/pods";

// Upstream's own printer test cases (kubernetes printers_test.go, duration_test.go), recorded as API JSON
// with their expected cells, run through the same mapping the portal stores: toPodInfo / toNodeInfo.
const now = Date.parse(cases.now);

describe("kubectl get pods: upstream printPod cases", () => {
  test.each(cases.pods)("$upstream", ({ pod, cells }) => {
    expect(podCells(toPodInfo(pod as RawPod), now)).toEqual(cells);
  });
});

describe("kubectl get nodes: upstream printNode cases (status, roles, wide columns)", () => {
  test.each(cases.nodes)("$upstream", ({ node, cells, wide }) => {
    expect(nodeCells(toNodeInfo(node as Parameters<typeof toNodeInfo>[0]), now, wide === true)).toEqual(cells);
  });
});

describe("kubectl ages: upstream HumanDuration and translateTimestampSince cases", () => {
  test.each(cases.durations)("$upstream: $ms ms is $want", ({ ms, want }) => {
    expect(humanDuration(ms)).toBe(want);
  });
  test.each(cases.timestampsSince)("$upstream", ({ timestamp, want }) => {
    expect(timestampSince(timestamp, now)).toBe(want);
  });
});
