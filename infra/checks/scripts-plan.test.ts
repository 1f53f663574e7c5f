// plan.sh and the saved-plan applies (build-cluster.sh / cleanup.sh --phase infra --plan FILE) on the sandbox,
// as real child processes: the three files, the summary parser accepting them, an apply of exactly the plan,
// and a stale plan refused with "Saved plan is stale" while nothing changes.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { summarizePlan } from "../../server/plans/plan-summary";
import { REPO_ROOT, run } from "./helpers/tools";

const state = mkdtempSync(path.join(tmpdir(), "growbin-plan-"));
const out = (name: string) => path.join(state, "plans", name);
const env = {
  TARGET: "sandbox",
  SANDBOX_STATE: path.join(state, "sandbox"),
  SANDBOX_TIME_SCALE: "0.001",
  CLUSTER: "growbin-plan",
};
const script = (name: string, args: string[], extra: Record<string, string> = {}) =>
  run(path.join(REPO_ROOT, "infra/scripts", name), args, {
    env: { ...process.env, ...env, ...extra },
    stdio: ["ignore", "pipe", "pipe"],
  });
const sandboxCli = (...args: string[]) =>
  run("node", ["--import", "tsx", "infra/sandbox/cli.ts", ...args, "--state", env.SANDBOX_STATE], {
    env: { ...process.env, ...env },
  });
const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));
type Inst = { node: string; id: string; state: string };
const instances = (): Inst[] =>
  JSON.parse(sandboxCli("status", "--json").stdout).instances.sort((a: Inst, b: Inst) => a.node.localeCompare(b.node));
const NODES = ["master", "storage", "worker-1", "worker-2"];
const address = (n: string) => `module.ec2.aws_instance.node["${n}"]`;

afterAll(() => {
  sandboxCli("down");
  rmSync(state, { recursive: true, force: true });
});

describe("plan.sh: usage", () => {
  it.each([
    [[], /--action is required/],
    [["--action", "destroy", "--out", "/tmp/x"], /unknown action 'destroy'/],
    [["--action", "teardown"], /--out DIR is required/],
    [["--action"], /--action needs a value/],
    [["--action", "teardown", "--out", "/tmp/x", "--force"], /unknown argument: --force/],
  ])("plan.sh %j is a usage error (2)", (args, message) => {
    const r = script("plan.sh", args);
    expect(r.code, r.out).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("--plan needs --phase infra and an existing file; --dry-run needs --json and --phase components", () => {
    expect(script("build-cluster.sh", ["--yes", "--phase", "os", "--plan", "/etc/hostname"]).stderr).toMatch(
      /use it with --phase infra/,
    );
    const missing = script("cleanup.sh", ["--yes", "--phase", "infra", "--plan", path.join(state, "nope.bin")]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/no saved plan at/)]);
    expect(script("cleanup.sh", ["--phase", "components", "--dry-run"]).code).toBe(2);
    expect(script("cleanup.sh", ["--phase", "infra", "--dry-run", "--json"]).code).toBe(2);
  });
});

describe("plan.sh and saved-plan applies on the sandbox", () => {
  it(
    "provision: plan.sh writes the 3 files, the apply creates exactly what was planned, and a re-apply is stale",
    { timeout: 300_000 },
    () => {
      const p = script("plan.sh", ["--yes", "--action", "provision", "--out", out("p1")]);
      expect(p.code, p.out).toBe(0);
      const planJson = json(path.join(out("p1"), "plan.json"));
      expect(json(path.join(out("p1"), "plan.bin")).plan).toEqual(planJson);
      const s = summarizePlan(planJson, json(path.join(out("p1"), "components.json")));
      expect(s).toMatchObject({ add: 4, change: 0, destroy: 0, replace: 0, destroyed: [], components: [] });
      expect(s.byType).toEqual([{ type: "aws_instance", add: 4, change: 0, destroy: 0, replace: 0 }]);
      expect(instances()).toEqual([]);

      const a = script("build-cluster.sh", ["--yes", "--phase", "infra", "--plan", out("p1") + "/plan.bin"]);
      expect(a.code, a.out).toBe(0);
      const made = instances();
      expect(made.map((i) => i.node)).toEqual(NODES);

      // The apply changed the state the plan was made against: the same plan again is stale.
      const again = script("build-cluster.sh", ["--yes", "--phase", "infra", "--plan", out("p1") + "/plan.bin"]);
      expect(again.code, again.out).toBe(1);
      expect(again.out).toContain("Saved plan is stale");
      expect(instances()).toEqual(made);

      // Planned now, nothing is missing: every instance is a no-op.
      expect(script("plan.sh", ["--action", "provision", "--out", out("p2")]).code).toBe(0);
      expect(json(path.join(out("p2"), "plan.json")).resource_changes.map((r: any) => r.change.actions)).toEqual([
        ["no-op"],
        ["no-op"],
        ["no-op"],
        ["no-op"],
      ]);
      expect(summarizePlan(json(path.join(out("p2"), "plan.json"))).add).toBe(0);
    },
  );

  it(
    "teardown: components and destroyed instances are listed; a state change after the plan is refused and nothing changes",
    { timeout: 300_000 },
    () => {
      for (const phase of ["os", "kubernetes", "cni"]) {
        const b = script("build-cluster.sh", ["--yes", "--phase", phase]);
        expect(b.code, b.out).toBe(0);
      }
      const p = script("plan.sh", ["--yes", "--action", "teardown", "--out", out("t1")]);
      expect(p.code, p.out).toBe(0);
      const components = json(path.join(out("t1"), "components.json"));
      const s = summarizePlan(json(path.join(out("t1"), "plan.json")), components);
      expect([s.add, s.change, s.destroy, s.replace]).toEqual([0, 0, 4, 0]);
      expect(s.destroyed.sort()).toEqual(NODES.map(address));
      expect(
        components
          .filter((c: any) => c.kind === "Node")
          .map((c: any) => c.name)
          .sort(),
      ).toEqual(NODES);
      expect(components).toContainEqual({ kind: "DaemonSet", namespace: "kube-system", name: "calico-node" });
      // cleanup.sh's own dry run lists the same components, deleting nothing.
      const dry = script("cleanup.sh", ["--phase", "components", "--dry-run", "--json"]);
      expect(dry.code, dry.out).toBe(0);
      expect(JSON.parse(dry.stdout)).toEqual(components);
      // A rebuild plan is the same destroy plan.
      expect(script("plan.sh", ["--action", "rebuild", "--out", out("r1")]).code).toBe(0);
      expect(json(path.join(out("r1"), "plan.json")).resource_changes).toEqual(
        json(path.join(out("t1"), "plan.json")).resource_changes,
      );
      // A provision plan cannot be handed to the teardown.
      const wrong = script("cleanup.sh", ["--yes", "--phase", "infra", "--plan", out("p2") + "/plan.bin"]);
      expect([wrong.code, wrong.stderr]).toEqual([
        1,
        expect.stringMatching(/a provision plan; it cannot be applied by teardown/),
      ]);

      expect(script("cleanup.sh", ["--yes", "--phase", "components"]).code).toBe(0);
      // An instance stops after the plan (the state the plan saw is gone): the apply is refused, nothing is destroyed.
      const f = sandboxCli("fault", "instance-stopped", "--instance", "worker-2");
      expect(f.code, f.out).toBe(0);
      const before = instances();
      const stale = script("cleanup.sh", ["--yes", "--phase", "infra", "--plan", out("t1") + "/plan.bin"]);
      expect(stale.code, stale.out).toBe(1);
      expect(stale.stderr).toMatch(/^sandbox: Saved plan is stale/m);
      expect(instances()).toEqual(before);
      expect(before.map((i) => i.state)).toEqual(["running", "running", "running", "stopped"]);

      // Back to the planned state, the saved plan applies: exactly the 4 planned instances go.
      expect(sandboxCli("heal", "--all").code).toBe(0);
      const ok = script("cleanup.sh", ["--yes", "--phase", "infra", "--plan", out("t1") + "/plan.bin"]);
      expect(ok.code, ok.out).toBe(0);
      expect(instances()).toEqual([]);
    },
  );
});
