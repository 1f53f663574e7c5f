// Ctrl-C, a crashed terminal and `cancel RUN`, with the CLI as a real child process on a real
// PostgreSQL: the run is always recorded as ended, and the cluster is never left locked.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FIXTURE_SCRIPTS, runTestDatabase, waitFor } from "@/test/run-fixtures";
import { cleanEnv } from "@/test/temp-clone";

let t: Awaited<ReturnType<typeof runTestDatabase>>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-cancel-"));
const config = path.join(tmp, "portal.config.json");
fs.writeFileSync(
  config,
  JSON.stringify({ clusters: [{ name: "growbin-test", kind: "sandbox", stateDir: "/tmp/growbin-test-sandbox" }] }),
);
beforeAll(async () => {
  t = await runTestDatabase();
});
afterAll(async () => {
  await t.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Cli = {
  child: ChildProcess;
  out: () => string;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
};

function cli(args: string[], extra: Record<string, string> = {}): Cli {
  const env = cleanEnv({
    DATABASE_URL: t.url,
    PORTAL_CONFIG: config,
    PORTAL_SCRIPTS_DIR: FIXTURE_SCRIPTS,
    PORTAL_HEARTBEAT_MS: "200",
    PORTAL_CANCEL_GRACE_MS: "1500",
    ...extra,
  });
  // Its own process group, like a shell's foreground job: Ctrl-C is a SIGINT to the whole group.
  const child = spawn(process.execPath, ["bin/growbin.mjs", ...args], {
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((r) =>
    child.on("close", (code) => r({ code, stdout, stderr })),
  );
  return { child, out: () => stdout + stderr, done };
}

const runOf = (reason: string) =>
  t.prisma.run.findFirst({ where: { reason }, include: { steps: { orderBy: { index: "asc" } } } });
const gone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] === "Z";
  } catch {
    return true;
  }
};

test("Ctrl-C on a run the CLI executes itself walks the whole ladder (one SIGINT, grace, SIGKILL), records `cancelled`, then exits 130", async () => {
  const signals = path.join(tmp, "signals");
  const run = cli(["verify", "--cluster", "growbin-test", "--reason", "ctrl-c"], {
    FIXTURE_MODE: "stubborn",
    FIXTURE_SIGNALS: signals,
  });
  await waitFor(
    async () => /this terminal runs the run itself/.test(run.out()) && /^running$/m.test(run.out()),
    "the step to run",
  );
  process.kill(-run.child.pid!, "SIGINT");
  const r = await run.done;
  expect(r.stderr).toMatch(/cancelling run \S+: SIGINT to its step now, SIGKILL after 2 s/);
  expect(r.code).toBe(130);
  // The stubborn step ignored its one SIGINT; only the SIGKILL after the grace period ended it.
  expect(fs.readFileSync(signals, "utf8").trim().split("\n")).toEqual(["INT"]);
  const row = await runOf("ctrl-c");
  expect(row).toMatchObject({ status: "cancelled", cancelledBy: `cli:${os.userInfo().username}` });
  expect(row!.finishedAt).not.toBeNull();
  expect(row!.steps[0]).toMatchObject({ status: "cancelled" });
  // The cluster is free: the next run starts at once.
  const next = cli(["verify", "--cluster", "growbin-test", "--reason", "after ctrl-c"], { FIXTURE_MODE: "ok" });
  expect((await next.done).code).toBe(0);
});

test("a run left `running` by a killed terminal is swept by the next command, which then runs; the orphaned step is ended", async () => {
  const pidfile = path.join(tmp, "orphan.pid");
  const first = cli(["verify", "--cluster", "growbin-test", "--reason", "crashed terminal"], {
    FIXTURE_MODE: "sleep",
    FIXTURE_PIDFILE: pidfile,
  });
  await waitFor(
    async () => fs.existsSync(pidfile) && fs.readFileSync(pidfile, "utf8").includes(" "),
    "the step to start",
  );
  const [stepPid, grandchild] = fs.readFileSync(pidfile, "utf8").trim().split(" ").map(Number);
  // The terminal dies: the CLI (wrapper and node) is killed outright; the step's own group lives on.
  process.kill(-first.child.pid!, "SIGKILL");
  await first.done;
  const stuck = await runOf("crashed terminal");
  expect(stuck!.status).toBe("running");
  await waitFor(
    async () =>
      (await t.prisma.run.findFirst({
        where: { id: stuck!.id, heartbeatAt: { lt: new Date(Date.now() - 1_500) } },
      })) !== null,
    "the heartbeat to go stale",
  );

  const next = cli(["verify", "--cluster", "growbin-test", "--reason", "after the crash"], {
    FIXTURE_MODE: "ok",
    PORTAL_STALE_AFTER_MS: "1000",
  });
  const r = await next.done;
  expect(r.stderr).toContain(
    `run ${stuck!.id} was interrupted: its process stopped heartbeating, so its cluster is free again`,
  );
  expect(r.code).toBe(0);
  expect((await runOf("crashed terminal"))!.status).toBe("interrupted");
  await waitFor(async () => gone(stepPid!) && gone(grandchild!), "the orphaned step to be ended");
});

test("cli cancel RUN cancels a run another terminal executes (that terminal exits 1); an unknown run is a usage error; an ended one is refused", async () => {
  const runner = cli(["verify", "--cluster", "growbin-test", "--reason", "cancel from elsewhere"], {
    FIXTURE_MODE: "sleep",
  });
  await waitFor(async () => /started \d+/.test(runner.out()), "the step to start").catch((err: Error) => {
    throw new Error(`${err.message}; the CLI printed: ${runner.out()}`);
  });
  const row = await runOf("cancel from elsewhere");
  const cancel = await cli(["cancel", row!.id]).done;
  expect(cancel.code).toBe(0);
  expect(cancel.stdout).toMatch(/is cancelling/);
  const r = await runner.done;
  expect(r.code).toBe(1);
  expect((await runOf("cancel from elsewhere"))!.status).toBe("cancelled");

  const unknown = await cli(["cancel", "no-such-run"]).done;
  expect(unknown.code).toBe(2);
  expect(unknown.stderr.trim()).toBe("error: There is no such run.");
  const ended = await cli(["cancel", row!.id]).done;
  expect(ended.code).toBe(1);
  expect(ended.stderr.trim()).toBe("refused: This run has already ended (cancelled).");
});
