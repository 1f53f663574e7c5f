import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HEALTH_SOURCES, SOURCE_NAMES, SOURCE_TITLES, type SourceName } from "@/lib/health-sources";
import { collectHealth, type SourceState } from "@/server/cluster/health/collect-health";
import { kubeGetJson } from "@/server/cluster/kube/kube-http";
import { DEFAULT_TIMEOUTS, HEALTH_SOURCE_REGISTRY, SOURCES, type SourceDef } from "@/server/cluster/sources/registry";
import type { SandboxClusterConfig } from "@/server/config/clusters";
import { sandboxWithClients } from "@/infra/sandbox/test-helpers";

// The registry is the one place a source is added: an extra source given through the same entry shape is read
// from a real sandbox, cut off at its own deadline without holding up the others, and placed on a tier.

let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let config: SandboxClusterConfig;
beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true, cluster: "growbin-sandbox" });
  config = { name: "growbin-sandbox", kind: "sandbox", stateDir: sb.stateDir, links: {} };
});
afterAll(() => sb?.close());

// A source the portal does not have: the namespaces, with a warning per namespace not in `known`, on tier 4.
const FAKE = "namespaces" as SourceName;
type Namespaces = { names: string[] };
function namespacesSource(over: Partial<SourceDef<Namespaces>> = {}, known = new Set(["default"])): SourceDef {
  const def: SourceDef<Namespaces> = {
    name: FAKE,
    title: "Namespaces",
    timeoutMs: 4000,
    read: async ({ kube }, signal) => ({
      names: (
        await kubeGetJson<{ items: { metadata: { name: string } }[] }>(kube(), "/api/v1/namespaces", signal)
      ).items.map((n) => n.metadata.name),
    }),
    problems: (d) =>
      d.names
        .filter((n) => !known.has(n))
        .map((n) => ({
          type: "namespace-unknown",
          severity: "warning" as const,
          source: FAKE,
          message: `namespace ${n} is not known`,
          hint: "",
        })),
    tiers: { unknownIn: ["4"], unplaced: "4" },
    ...over,
  };
  return def as SourceDef;
}
const stateOf = (h: { sources: Record<string, SourceState> }, name: string) => h.sources[name]!;

describe("the health-source registry", () => {
  test("has one entry per name of lib/health-sources.ts, in its order, with its title; the timeouts come from it", () => {
    expect(SOURCES.map((s) => s.name)).toEqual(SOURCE_NAMES);
    expect(Object.keys(HEALTH_SOURCE_REGISTRY)).toEqual(HEALTH_SOURCES.map((s) => s.name));
    for (const s of SOURCES) expect(s.title).toBe(SOURCE_TITLES[s.name]);
    expect(DEFAULT_TIMEOUTS).toEqual(Object.fromEntries(SOURCES.map((s) => [s.name, s.timeoutMs])));
    expect(DEFAULT_TIMEOUTS.pods).toBe(8000);
  });

  test("an extra entry is read, its problems detected and rolled up on the tier its mapping names", async () => {
    const h = await collectHealth(config, { sources: [...SOURCES, namespacesSource()] });
    expect(stateOf(h, FAKE)).toMatchObject({ ok: true, error: null });
    expect((h.data as Record<string, unknown>)[FAKE]).toMatchObject({
      names: expect.arrayContaining(["default", "kube-system", "messaging"]),
    });
    const mine = h.problems.filter((p) => p.source === FAKE);
    expect(mine.map((p) => p.message)).toContain("namespace kube-system is not known");
    expect(stateOf(h, FAKE).problems).toBe(mine.length);
    // Its problems name no queue, workload, namespace or node: they land on its `unplaced` tier, and only there.
    expect(h.tiers.map((t) => [t.id, t.status])).toEqual([
      ["1", "ok"],
      ["2", "ok"],
      ["3", "ok"],
      ["4", "degraded"],
    ]);
    expect(h.tiers[3]!.reasons.filter((r) => r.source === FAKE)).toHaveLength(mine.length);
    expect(h.tiers.slice(0, 3).every((t) => t.reasons.every((r) => r.source !== FAKE))).toBe(true);
    // The real sources are unaffected.
    expect(SOURCE_NAMES.filter((s) => !stateOf(h, s).ok)).toEqual([]);
  });

  test("an extra entry that never answers is cut off at its own timeout, leaving only its tiers unknown", async () => {
    let aborted = false;
    const hang = namespacesSource({
      timeoutMs: 50,
      read: (_ctx, signal) => new Promise<Namespaces>(() => signal.addEventListener("abort", () => (aborted = true))),
    });
    const h = await collectHealth(config, { sources: [...SOURCES, hang] });
    expect(stateOf(h, FAKE)).toMatchObject({ ok: false, error: "timed out after 50 ms" });
    expect(aborted).toBe(true);
    expect(SOURCE_NAMES.filter((s) => !stateOf(h, s).ok)).toEqual([]);
    expect(h.tiers.map((t) => [t.id, t.status])).toEqual([
      ["1", "ok"],
      ["2", "ok"],
      ["3", "ok"],
      ["4", "unknown"],
    ]);
    expect(h.tiers[3]!.unknown).toEqual([{ source: FAKE, error: "timed out after 50 ms" }]);
  });

  test("a timeout given for one source by name overrides its entry's, and no other", async () => {
    const h = await collectHealth(config, { sources: [...SOURCES, namespacesSource()], timeouts: { [FAKE]: 1 } });
    expect(stateOf(h, FAKE).error).toBe("timed out after 1 ms");
    expect(stateOf(h, "nodes").ok).toBe(true);
  });
});
