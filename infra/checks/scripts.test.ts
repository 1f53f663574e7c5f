// Checks for infra/scripts: shellcheck, the common contract (help, exit codes,
// confirmation), signals reaching terraform, and a full rebuild on the sandbox.
import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, requireTool, run } from "./helpers/tools";

const SCRIPTS_DIR = path.join(REPO_ROOT, "infra/scripts");
const SCRIPTS = [
  "auto-rebuild",
  "cleanup",
  "build-cluster",
  "check-cluster-health",
  "check-etcd-health",
  "check-monitoring-status",
  "verify-cluster-status",
  "get-instances",
  "connect-ssh",
  "reset-node",
  "remote-health-check",
  "release-state-lock",
  "plan",
].map((s) => `${s}.sh`);
const script = (name: string) => path.join(SCRIPTS_DIR, name);
const tmp = (prefix: string) => mkdtempSync(path.join(tmpdir(), `growbin-${prefix}-`));
const cleanupDirs: string[] = [];

// Non-interactive like the portal's run engine: stdin is not a terminal.
const runScript = (name: string, args: string[], env: Record<string, string> = {}) =>
  run(script(name), args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });

describe("scripts: files and lint", () => {
  it("all 11 seed scripts (and release-state-lock.sh) exist, are executable and strict", () => {
    for (const s of SCRIPTS) {
      const text = readFileSync(script(s), "utf8");
      expect(text.startsWith("#!/usr/bin/env bash\nset -euo pipefail\n"), s).toBe(true);
      expect(text, s).toContain('source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"');
      expect(readdirSync(SCRIPTS_DIR)).toContain(s);
    }
  });

  it("shellcheck is clean on every script and lib/common.sh", () => {
    requireTool("shellcheck");
    const r = run("shellcheck", ["-x", ...SCRIPTS, "lib/common.sh", "lib/state-lock.sh"], { cwd: SCRIPTS_DIR });
    expect(r.code, r.out).toBe(0);
  });

  it("every shellcheck skip carries a reason in a comment", () => {
    for (const f of [...SCRIPTS, "lib/common.sh", "lib/state-lock.sh"]) {
      const lines = readFileSync(path.join(SCRIPTS_DIR, f), "utf8").split("\n");
      lines.forEach((l, i) => {
        if (!/#\s*shellcheck disable=/.test(l)) return;
        const reason = /disable=\S+\s+#\s*\S/.test(l) || /^\s*#\s*\w/.test(lines[i - 1] ?? "");
        expect(reason, `${f}:${i + 1} disables a check without saying why`).toBe(true);
      });
    }
  });
});

describe("scripts: usage and exit codes", () => {
  it.each(SCRIPTS)("%s --help explains itself and exits 0", (s) => {
    const r = runScript(s, ["--help"]);
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toMatch(/^Usage: /);
    const description = r.stdout.split("\n").slice(2).join(" ");
    expect(description.length, "a real description, not just a usage line").toBeGreaterThan(200);
    expect(r.stdout).toMatch(/TARGET=aws\|sandbox/);
    expect(r.stdout).toMatch(/Exit codes?:/);
  });

  it.each(SCRIPTS)("%s rejects an unknown option with exit 2", (s) => {
    const r = runScript(s, ["--no-such-option"]);
    expect(r.code, r.out).toBe(2);
  });

  it("a wrong TARGET, phase or node is a usage error (2)", () => {
    expect(runScript("get-instances.sh", [], { TARGET: "gcp" }).code).toBe(2);
    expect(runScript("build-cluster.sh", ["--yes", "--phase", "nope"], { TARGET: "sandbox" }).code).toBe(2);
    expect(runScript("cleanup.sh", ["--yes", "--phase", "nope"], { TARGET: "sandbox" }).code).toBe(2);
    expect(runScript("reset-node.sh", ["--yes", "node-9"], { TARGET: "sandbox" }).code).toBe(2);
    expect(runScript("connect-ssh.sh", [], { TARGET: "sandbox" }).code).toBe(2);
  });

  it.each([
    ["cleanup.sh", []],
    ["cleanup.sh", ["--phase", "infra"]],
    ["auto-rebuild.sh", []],
    ["reset-node.sh", ["master"]],
    ["reset-node.sh", ["all"]],
  ])("%s %j refuses (exit 2) without --yes when nobody can confirm, and touches nothing", (s, args) => {
    const state = tmp("refuse");
    cleanupDirs.push(state);
    rmSync(state, { recursive: true });
    const r = runScript(s, args, { TARGET: "sandbox", SANDBOX_STATE: state });
    expect(r.code, r.out).toBe(2);
    expect(r.stderr).toMatch(/refusing to .* without --yes/);
    expect(existsSync(state), "the sandbox was not even started").toBe(false);
  });

  it("TARGET=aws names the missing tools and exits 1", () => {
    // A PATH with only what the scripts need before their tool check.
    const bin = tmp("bin");
    cleanupDirs.push(bin);
    for (const t of ["bash", "dirname", "basename"])
      symlinkSync(run("sh", ["-c", `command -v ${t}`]).stdout.trim(), path.join(bin, t));
    const env = { TARGET: "aws", PATH: bin };
    const r1 = runScript("build-cluster.sh", ["--yes", "--phase", "infra"], env);
    expect(r1.code, r1.out).toBe(1);
    expect(r1.stderr).toMatch(/needs these tools on PATH: terraform/);
    const r2 = runScript("auto-rebuild.sh", ["--yes"], env);
    expect(r2.code, r2.out).toBe(1);
    expect(r2.stderr).toMatch(/terraform ansible-playbook kubectl aws/);
    const r3 = runScript("check-etcd-health.sh", [], env);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toMatch(/kubectl/);
  });
});

describe("scripts: terraform gets the interrupt", () => {
  // A fake terraform that records every SIGINT it receives and exits 1 like
  // terraform does after an interrupted apply (state saved, lock released).
  const fakeTerraform = (dir: string) => {
    const bin = path.join(dir, "bin");
    run("mkdir", ["-p", bin]);
    const f = path.join(bin, "terraform");
    writeFileSync(
      f,
      `#!/usr/bin/env bash
case " $* " in *" init "*) exit 0 ;; esac
echo "$$" > "${dir}/tf.pid"
trap 'echo INT >> "${dir}/signals"; exit 1' INT
while :; do sleep 0.1; done
`,
    );
    chmodSync(f, 0o755);
    // The state-lock check before apply: no lock object in the state bucket.
    const aws = path.join(bin, "aws");
    writeFileSync(
      aws,
      '#!/usr/bin/env bash\necho "An error occurred (404) when calling the HeadObject operation: Not Found" >&2\nexit 1\n',
    );
    chmodSync(aws, 0o755);
    return bin;
  };

  const startApply = (dir: string, bin: string) =>
    spawn(script("build-cluster.sh"), ["--yes", "--phase", "infra"], {
      cwd: REPO_ROOT,
      detached: true, // its own process group, as the portal's worker runs a step
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        TARGET: "aws",
        CLUSTER: "sigtest",
        TF_STATE_BUCKET: "test-bucket",
        PATH: `${bin}:${process.env.PATH}`,
      },
    });

  const waitFor = async (cond: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error("timed out");
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const exitOf = (p: ReturnType<typeof spawn>) =>
    new Promise<number | null>((res) => p.on("exit", (code) => res(code)));

  it.each([
    ["the process group (the portal's cancel, Ctrl-C)", "group"],
    ["the script's pid only", "pid"],
  ])("SIGINT to %s reaches terraform exactly once", async (_label, how) => {
    const dir = tmp("sig");
    cleanupDirs.push(dir);
    const p = startApply(dir, fakeTerraform(dir));
    const exited = exitOf(p);
    await waitFor(() => existsSync(path.join(dir, "tf.pid")));
    const tfPid = Number(readFileSync(path.join(dir, "tf.pid"), "utf8"));
    expect(tfPid, "terraform replaced the script (exec)").toBe(p.pid);
    process.kill(how === "group" ? -(p.pid as number) : (p.pid as number), "SIGINT");
    const code = await exited;
    expect(readFileSync(path.join(dir, "signals"), "utf8").trim().split("\n")).toEqual(["INT"]);
    expect(code).toBe(1);
  });
});

describe("scripts: end to end on the sandbox", () => {
  const state = tmp("e2e");
  const env = { TARGET: "sandbox", SANDBOX_STATE: state, SANDBOX_TIME_SCALE: "0.001", CLUSTER: "growbin-e2e" };
  const sandboxCli = (...args: string[]) =>
    run("node", ["--import", "tsx", "infra/sandbox/cli.ts", ...args, "--state", state], {
      env: { ...process.env, ...env },
    });

  afterAll(() => {
    sandboxCli("down");
    rmSync(state, { recursive: true, force: true });
    for (const d of cleanupDirs) rmSync(d, { recursive: true, force: true });
  });

  it("the sandbox CLI exists", () => {
    expect(existsSync(path.join(REPO_ROOT, "infra/sandbox/cli.ts")), "infra/sandbox/cli.ts is missing").toBe(true);
  });

  it(
    "auto-rebuild.sh --yes rebuilds the cluster with 4 Ready nodes, then cleanup.sh leaves none",
    { timeout: 120_000 },
    () => {
      const r = runScript("auto-rebuild.sh", ["--yes"], env);
      expect(r.code, r.out).toBe(0);
      expect(r.stdout).toMatch(/sandbox: phase wait-nodes/);
      const status = JSON.parse(sandboxCli("status", "--json").stdout);
      expect(status.nodes).toMatchObject({ total: 4, ready: 4, notReady: [] });
      expect(status.instances.map((i: { node: string }) => i.node).sort()).toEqual([
        "master",
        "storage",
        "worker-1",
        "worker-2",
      ]);

      const h = runScript("remote-health-check.sh", ["storage"], env);
      expect(h.code, h.out).toBe(0);
      expect(h.stdout).toMatch(/node storage \(sandbox\): Ready, role storage, tier 3-4/);

      const c = runScript("cleanup.sh", ["--yes"], env);
      expect(c.code, c.out).toBe(0);
      const after = JSON.parse(sandboxCli("status", "--json").stdout);
      expect(after.nodes.total).toBe(0);
      expect(after.instances.filter((i: { state: string }) => i.state !== "terminated")).toEqual([]);
      const health = runScript("check-cluster-health.sh", [], env);
      expect(health.code, "an empty cluster is not healthy").toBe(1);
    },
  );
});
