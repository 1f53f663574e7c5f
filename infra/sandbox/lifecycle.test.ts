import { Watch } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, test } from "vitest";
import { sandboxWithClients } from "./test-helpers";

let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
beforeAll(async () => {
  sb = await sandboxWithClients({ timeScale: 0.005 });
});
afterAll(() => sb.close());

test("a fresh sandbox is empty: no instances, nodes or pods", async () => {
  expect((await sb.core.listNode()).items).toEqual([]);
  expect((await sb.core.listPodForAllNamespaces()).items).toEqual([]);
  expect((await sb.admin("GET", "/status")).body.instances).toEqual([]);
});

test("a phase whose prerequisite has not run fails with a clear message", async () => {
  const r = await sb.admin("POST", "/provision", { phase: "cni" });
  expect(r.status).toBe(200);
  const result = JSON.parse(r.body.split("sandbox-result: ")[1]);
  expect(result).toMatchObject({
    ok: false,
    error: expect.stringMatching(/phase "cni" needs phase "kubernetes" first/),
  });
  expect((await sb.admin("POST", "/provision", { phase: "bogus" })).status).toBe(400);
});

test("provision walks pods Pending -> ContainerCreating -> Running and nodes NotReady -> Ready, in phase order", async () => {
  const podStates = new Map<string, string[]>();
  const nodeStates = new Map<string, string[]>();
  const w = new Watch(sb.kc);
  const stateOf = (p: any) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? p.status?.phase;
  const c1 = await w.watch(
    "/api/v1/pods",
    { resourceVersion: "1" },
    (_t, p: any) => podStates.set(p.metadata.name, [...(podStates.get(p.metadata.name) ?? []), stateOf(p)]),
    () => {},
  );
  const c2 = await w.watch(
    "/api/v1/nodes",
    { resourceVersion: "1" },
    (_t, n: any) =>
      nodeStates.set(n.metadata.name, [
        ...(nodeStates.get(n.metadata.name) ?? []),
        n.status.conditions.find((c: any) => c.type === "Ready")?.status ?? "none",
      ]),
    () => {},
  );
  const r = await sb.admin("POST", "/provision", {});
  expect(r.body).toMatch(/"ok":true/);
  const lines: string[] = r.body
    .split("\n")
    .filter((l: string) => l.startsWith("sandbox: phase") && l.endsWith("started"));
  expect(lines.map((l) => l.split(" ")[2]!.replace(":", ""))).toEqual([
    "infra",
    "inventory",
    "os",
    "kubernetes",
    "cni",
    "storage",
    "addons",
    "monitoring",
    "gitops",
    "messaging",
    "data",
    "apps",
    "wait-nodes",
  ]);
  expect(r.body).not.toMatch(/terraform|ansible|PLAY|TASK \[/i);
  c1.abort();
  c2.abort();
  const ai = [...podStates.entries()].find(([n]) => n.startsWith("ai-worker-"))![1];
  expect(ai.filter((s, i) => s !== ai[i - 1])).toEqual(["Pending", "ContainerCreating", "Running"]);
  expect(nodeStates.get("worker-1")!.filter((s, i, a) => s !== a[i - 1])).toEqual(["none", "False", "True"]);
  const apps: any = await sb.custom.listNamespacedCustomObject({
    group: "argoproj.io",
    version: "v1alpha1",
    namespace: "argocd",
    plural: "applications",
  });
  expect(apps.items.every((a: any) => a.status.sync.status === "Synced" && a.status.health.status === "Healthy")).toBe(
    true,
  );
});

test("teardown walks it back: components, then instances shutting-down -> terminated", async () => {
  const r = await sb.admin("POST", "/teardown", {});
  expect(r.body).toMatch(/"ok":true/);
  expect(r.body.indexOf("teardown apps")).toBeLessThan(r.body.indexOf("teardown kubernetes"));
  expect((await sb.core.listNode()).items).toEqual([]);
  expect((await sb.core.listPodForAllNamespaces()).items).toEqual([]);
  const s = (await sb.admin("GET", "/status")).body;
  expect(s.phasesDone).toEqual([]);
});

test("state survives a restart, and a second server on the same folder is refused", async () => {
  await sb.admin("POST", "/provision", { phase: "infra" });
  await expect(sandboxWithClients({ stateDir: sb.stateDir })).rejects.toThrow(/already running/);
  const dir = sb.stateDir;
  await sb.stop();
  sb = await sandboxWithClients({ stateDir: dir, timeScale: 0.005 });
  const s = (await sb.admin("GET", "/status")).body;
  expect(s.phasesDone).toEqual(["infra"]);
  expect(s.instances.length).toBe(4);
});
