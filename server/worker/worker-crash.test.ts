import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FIXTURE_SCRIPTS, runTestDatabase, testWorker, waitFor } from "@/test/run-fixtures";
import { startRun } from "@/server/runs/start-run";
import { signalGroup } from "@/server/worker/step-process";

const cmdline = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
};
const childrenOf = (ppid: number) =>
  fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return new RegExp(`^PPid:\\s+${ppid}$`, "m").test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      } catch {
        return false;
      }
    });

let t: Awaited<ReturnType<typeof runTestDatabase>>;
beforeAll(async () => {
  t = await runTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

test("kill -9 of the worker mid-step: the run is interrupted, its steps closed, the cluster freed, and no process of the step is left", async () => {
  const pidfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "crash-")), "pids");
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/worker/main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      PORTAL_SCRIPTS_DIR: FIXTURE_SCRIPTS,
      PORTAL_HEARTBEAT_MS: "200",
      FIXTURE_MODE: "sleep",
      FIXTURE_PIDFILE: pidfile,
    },
    stdio: "ignore",
  });
  const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "crash test" }, "frank");
  await waitFor(
    async () => fs.existsSync(pidfile) && fs.readFileSync(pidfile, "utf8").trim(),
    "the step to start",
    60_000,
  );
  const [pgid] = fs.readFileSync(pidfile, "utf8").trim().split(" ").map(Number);
  expect(signalGroup(pgid!, 0)).toBe(true);

  const background = await waitFor(
    async () => childrenOf(child.pid!).find((pid) => cmdline(pid).includes("background-process.ts")),
    "the background process",
    30_000,
  );

  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  // Its background process (health collector, notifier) notices and exits: it must not outlive the worker.
  await waitFor(
    async () => !cmdline(background!).includes("background-process.ts"),
    "the background process to exit",
    30_000,
  );
  // The step's group was detached: it outlives its worker until a sweeper on this host ends it.
  const sweeper = testWorker(t.url, { staleAfterMs: 2_000 });
  await sweeper.start();
  try {
    const run = await waitFor(
      async () => {
        const r = await t.prisma.run.findUnique({
          where: { id: runId },
          include: { steps: { orderBy: { index: "asc" } } },
        });
        return r?.status === "interrupted" ? r : null;
      },
      "the run to be interrupted",
      60_000,
    );
    expect(run.error).toMatch(/^interrupted: worker .* stopped heartbeating/);
    expect(run.finishedAt).not.toBeNull();
    expect(run.steps.map((s) => s.status)).toEqual(["failed", "skipped", "skipped"]);
    expect(run.steps[0]!.signal).toBe("worker lost");
    await waitFor(async () => !signalGroup(pgid!, 0), "the orphaned step's process group to end", 15_000);
    const audit = await t.prisma.auditEvent.findFirst({ where: { action: "run.interrupted", target: runId } });
    expect(audit).not.toBeNull();
    process.env.FIXTURE_MODE = "ok";
    const next = await startRun(
      { cluster: "growbin-test", pipeline: "verify", reason: "cluster is free again" },
      "frank",
    );
    expect(next.runId).not.toBe(runId);
    // Let it finish here, so no queued run is left for the next test's worker to pick up.
    await waitFor(
      async () => (await t.prisma.run.findUnique({ where: { id: next.runId } }))?.status === "succeeded",
      "the next run",
      60_000,
    );
  } finally {
    await sweeper.stop(5_000);
  }
});

test("SIGTERM-style shutdown: the worker stops claiming, and a run still going after the grace period ends interrupted with the reason", async () => {
  const signals = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "term-")), "signals");
  fs.writeFileSync(signals, "");
  process.env.FIXTURE_MODE = "sleep";
  const worker = testWorker(t.url, { cancelGraceMs: 500 });
  await worker.start();
  const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "shutdown test" }, "gus");
  await waitFor(
    async () =>
      (await t.prisma.runStep.findFirst({ where: { runId, index: 0, status: "running", pgid: { not: null } } })) ??
      null,
    "the step to run",
  );
  await worker.stop(300);
  const run = await t.prisma.run.findUnique({
    where: { id: runId },
    include: { steps: { orderBy: { index: "asc" } } },
  });
  expect(run?.status).toBe("interrupted");
  expect(run?.error).toMatch(/worker shut down \(SIGTERM\) before the run finished/);
  expect(run?.steps.map((s) => s.status)).toEqual(["cancelled", "skipped", "skipped"]);
  // A run queued after the worker stopped stays queued: nobody claims it.
  process.env.FIXTURE_MODE = "ok";
  const next = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "after shutdown" }, "gus");
  await new Promise((r) => setTimeout(r, 500));
  expect((await t.prisma.run.findUnique({ where: { id: next.runId } }))?.status).toBe("queued");
  await t.prisma.run.update({ where: { id: next.runId }, data: { status: "cancelled" } });
});
