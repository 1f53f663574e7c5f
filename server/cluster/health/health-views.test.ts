import { describe, expect, test } from "vitest";
import type { HealthSnapshot } from "@/server/cluster/health/collect-health";
import { detectProblems, type HealthData } from "@/server/cluster/health/detect";
import {
  isProvisioned,
  nodeView,
  overviewView,
  parsePodFilter,
  POD_ROWS,
  resettableNodes,
  tierView,
} from "@/server/cluster/health/health-views";
import type { PodInfo } from "@/server/cluster/sources/pods";
import { rollupTiers } from "@/server/cluster/health/rollup";
import { SOURCE_NAMES } from "@/server/cluster/health/types";
import { apps, instances, nodes, pods, queues, RECORDED_AT } from "@/test/cluster-fixtures";
import { EXPECTED_QUEUES, TIERS } from "@/server/config/tiers";

// The pages' views cut from one recorded reading: the pods table is filtered on the server and sends at
// most one page, whatever the size of the tier.

function reading(podList: PodInfo[]): HealthSnapshot {
  const data: HealthData = {
    ec2: instances("healthy-ec2.json"),
    nodes: nodes("healthy-nodes.json"),
    pods: podList,
    controlPlane: null,
    monitoring: null,
    rabbitmq: queues("healthy-queues.json"),
    argocd: apps("healthy-apps.json"),
    alerts: null,
  };
  const by = detectProblems(data, RECORDED_AT, {}, EXPECTED_QUEUES);
  const problems = SOURCE_NAMES.flatMap((s) => by[s]);
  const sources = Object.fromEntries(
    SOURCE_NAMES.map((s) => [s, { source: s, ok: true, error: null, durationMs: 1, problems: by[s].length }]),
  ) as HealthSnapshot["sources"];
  return {
    cluster: "c",
    at: new Date(RECORDED_AT).toISOString(),
    durationMs: 1,
    status: "ok",
    tiers: rollupTiers(TIERS, data, problems, []),
    sources,
    problems,
    data,
  };
}

const healthy = pods("healthy-pods.json");
const crashing = pods("pod-crashloop.json");
const withCrash = healthy.map((p) => crashing.find((c) => c.namespace === p.namespace && c.name === p.name) ?? p);

describe("tier and node views", () => {
  test("the tier view holds the tier's pods with their tone, and the namespaces and statuses to filter by", () => {
    const v = tierView(reading(withCrash), "2")!;
    expect(v.pods!.total).toBe(v.pods!.rows.length);
    expect(v.pods!.rows.every((p) => p.namespace === "default")).toBe(true);
    const bad = v.pods!.rows.find((p) => p.status === "CrashLoopBackOff")!;
    expect(bad.tone).toBe("down");
    expect(v.pods!.statuses).toContain("CrashLoopBackOff");
    expect(v.pods!.namespaces).toEqual(["default"]);
  });

  test("filters: text on name, workload or node; a status; problems only", () => {
    const h = reading(withCrash);
    const all = tierView(h, "2")!.pods!;
    const ai = tierView(h, "2", { text: "AI-WORKER" })!.pods!;
    expect(ai.rows.length).toBeGreaterThan(0);
    expect(ai.rows.every((p) => p.workload === "ai-worker")).toBe(true);
    expect(ai.matched).toBe(ai.rows.length);
    expect(ai.total).toBe(all.total);
    expect(tierView(h, "2", { text: "worker-2" })!.pods!.rows.every((p) => p.node === "worker-2")).toBe(true);
    const problems = tierView(h, "2", { status: "problems" })!.pods!.rows;
    expect(problems.map((p) => p.status)).toEqual(["CrashLoopBackOff"]);
    expect(tierView(h, "2", { status: "Running" })!.pods!.rows.every((p) => p.status === "Running")).toBe(true);
    expect(tierView(h, "2", { namespace: "monitoring" })!.pods!.matched).toBe(0);
  });

  test(`a tier with thousands of pods sends the first ${POD_ROWS} and counts the rest`, () => {
    const many = Array.from({ length: 60 }, (_, i) => healthy.map((p) => ({ ...p, name: `${p.name}-${i}` }))).flat();
    const v = tierView(reading(many), "2")!.pods!;
    expect(v.rows).toHaveLength(POD_ROWS);
    expect(v.matched).toBe(v.total);
    expect(v.total).toBeGreaterThan(POD_ROWS);
  });

  test("the node view pages the node's pods the same way", () => {
    const v = nodeView(reading(withCrash), "worker-1", "ap-northeast-2", { status: "problems" })!;
    expect(v.pods!.rows.every((p) => p.node === "worker-1" && p.tone !== "ok")).toBe(true);
    expect(v.pods!.total).toBe(withCrash.filter((p) => p.node === "worker-1").length);
  });

  test("a bad filter in the URL is a clear error naming it; empty and unknown parameters are ignored", () => {
    expect(parsePodFilter(new URLSearchParams("namespace=&text=ai&foo=bar"))).toEqual({ text: "ai" });
    expect(() => parsePodFilter(new URLSearchParams("namespace=Not_A_Namespace"))).toThrow(
      "namespace: not a namespace name",
    );
    expect(() => parsePodFilter(new URLSearchParams(`text=${"x".repeat(101)}`))).toThrow(
      "text: at most 100 characters",
    );
    expect(() => parsePodFilter(new URLSearchParams("status=<script>"))).toThrow("status: not a pod status");
  });
});

describe("a cluster that was never provisioned", () => {
  const empty = (): HealthSnapshot => {
    const h = reading(healthy);
    return { ...h, data: { ...h.data, ec2: [], nodes: [], pods: [], rabbitmq: null, argocd: [] } };
  };

  test("no live instance reads as not provisioned; an unknown EC2 as unknown; a running one as provisioned", () => {
    expect(isProvisioned(empty())).toBe(false);
    expect(overviewView(empty()).provisioned).toBe(false);
    expect(isProvisioned(reading(healthy))).toBe(true);
    const unknown = reading(healthy);
    expect(
      isProvisioned({
        ...unknown,
        sources: { ...unknown.sources, ec2: { ...unknown.sources.ec2, ok: false, error: "x" } },
      }),
    ).toBeNull();
    const gone = reading(healthy);
    expect(
      isProvisioned({
        ...gone,
        data: { ...gone.data, ec2: gone.data.ec2!.map((i) => ({ ...i, state: "terminated" })) },
      }),
    ).toBe(false);
  });

  test("Reset node offers only nodes that have joined, and no node at all before provisioning", () => {
    expect(resettableNodes(empty(), ["master", "worker-1", "all"])).toEqual([]);
    expect(resettableNodes(reading(healthy), ["master", "worker-1", "nope", "all"])).toEqual([
      "master",
      "worker-1",
      "all",
    ]);
  });
});
