import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runTestDatabase, testWorker, waitFor } from "@/test/run-fixtures";
import { startRun } from "@/server/runs/start-run";
import { cancelRun, forceKillRun } from "@/server/runs/cancel-run";
import { signalGroup } from "@/server/worker/step-process";
import type { Worker } from "@/server/worker/worker";

let t: Awaited<ReturnType<typeof runTestDatabase>>;
let worker: Worker;

beforeAll(async () => {
  t = await runTestDatabase();
  worker = testWorker(t.url);
  await worker.start();
});
afterAll(async () => {
  await worker.stop(0);
  await t.drop();
});

const finished = (runId: string) =>
  waitFor(async () => {
    const r = await t.prisma.run.findUnique({
      where: { id: runId },
      include: { steps: { orderBy: { index: "asc" } } },
    });
    return r && ["succeeded", "failed", "cancelled", "interrupted"].includes(r.status) ? r : null;
  }, `run ${runId} to end`);

function mode(m: string, extra: Record<string, string> = {}) {
  process.env.FIXTURE_MODE = m;
  Object.assign(process.env, extra);
}

describe("run engine (real PostgreSQL, real child processes)", () => {
  test("a verify run executes its three steps in order and records output, exit codes and durations", async () => {
    mode("ok");
    const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "smoke test" }, "alice");
    const run = await finished(runId);
    expect(run.status).toBe("succeeded");
    expect(run.steps.map((s) => [s.key, s.status, s.exitCode])).toEqual([
      ["check-cluster", "succeeded", 0],
      ["check-etcd", "succeeded", 0],
      ["check-monitoring", "succeeded", 0],
    ]);
    expect(run.steps.every((s) => s.startedAt && s.finishedAt && s.finishedAt >= s.startedAt)).toBe(true);
    const lines = await t.prisma.logLine.findMany({ where: { runId }, orderBy: { seq: "asc" } });
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.find((l) => l.text === "cluster ok")).toMatchObject({ stream: "stdout", step: 0 });
    expect(lines.find((l) => l.text === "warning on stderr")).toMatchObject({ stream: "stderr", step: 0 });
  });

  test("a failing step fails the run, skips the rest, and says which step failed", async () => {
    mode("fail");
    const { runId } = await startRun(
      { cluster: "growbin-test", pipeline: "verify", reason: "expect failure" },
      "alice",
    );
    const run = await finished(runId);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/step 1 \(Cluster health\) failed: exit code 3/);
    expect(run.steps.map((s) => s.status)).toEqual(["failed", "skipped", "skipped"]);
  });

  test("20 simultaneous starts for one cluster make exactly 1 run; the 19 refusals name it", async () => {
    mode("sleep");
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        startRun({ cluster: "growbin-test", pipeline: "verify", reason: `race ${i}` }, `racer-${i}`),
      ),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    const winner = (ok[0] as PromiseFulfilledResult<{ runId: string }>).value.runId;
    for (const r of refused) {
      expect(r.reason.name).toBe("ConflictError");
      expect(r.reason.message).toContain(winner);
      expect(r.reason.detail).toEqual({ runId: winner });
    }
    expect(await t.prisma.run.count({ where: { reason: { startsWith: "race " } } })).toBe(1);
    await cancelRun(winner, "test");
    await finished(winner);
  });

  test("cancel mid-step sends exactly one SIGINT to the step, SIGKILL after the grace period, and ends the run cancelled", async () => {
    const signals = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sig-")), "signals");
    fs.writeFileSync(signals, "");
    mode("stubborn", { FIXTURE_SIGNALS: signals });
    const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "cancel me" }, "bob");
    await waitFor(
      async () => (await t.prisma.logLine.findFirst({ where: { runId, text: "running" } })) ?? null,
      "the step to run",
    );
    await expect(forceKillRun(runId)).rejects.toThrow(/Cancel the run first/);
    expect((await cancelRun(runId, "bob")).status).toBe("cancelling");
    const run = await finished(runId);
    expect(run.status).toBe("cancelled");
    expect(fs.readFileSync(signals, "utf8").trim().split("\n")).toEqual(["INT"]);
    expect(run.steps[0]).toMatchObject({ status: "cancelled", signal: "SIGKILL" });
    expect(run.steps.slice(1).map((s) => s.status)).toEqual(["skipped", "skipped"]);
  });

  test("a queued run cancelled before any worker claims it ends cancelled with all steps skipped", async () => {
    await worker.stop(0);
    mode("ok");
    const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "never runs" }, "carol");
    expect((await cancelRun(runId, "carol")).status).toBe("cancelled");
    const run = await finished(runId);
    expect(run.steps.every((s) => s.status === "skipped")).toBe(true);
    await expect(cancelRun(runId, "carol")).rejects.toThrow(/already ended \(cancelled\)/);
    worker = testWorker(t.url);
    await worker.start();
  });

  test("a step printing 100 MB is capped and marked, the run completes, and memory stays bounded", async () => {
    mode("flood", { FIXTURE_BYTES: String(100 * 1024 * 1024) });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "flood" }, "dave");
    const run = await finished(runId).finally(() => clearInterval(sampler));
    expect(run.status).toBe("succeeded");
    expect(run.steps[0]!.truncated).toBe(true);
    expect(Number(run.steps[0]!.logBytes)).toBeLessThanOrEqual(1024 * 1024);
    const marker = await t.prisma.logLine.findMany({
      where: { runId, step: 0, stream: "system", text: { startsWith: "[log truncated" } },
    });
    expect(marker.map((m) => m.text)).toEqual([
      expect.stringContaining("passed the 1.0 MiB cap"),
      expect.stringMatching(/^\[log truncated: \d+ more lines \(\d+\.\d MiB\) were not stored\]$/),
    ]);
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
  });

  test("the step's whole process group is gone when the step ends, background children included", async () => {
    const pidfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pid-")), "pids");
    mode("sleep", { FIXTURE_PIDFILE: pidfile });
    const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "group" }, "erin");
    await waitFor(async () => fs.existsSync(pidfile) && fs.readFileSync(pidfile, "utf8").trim(), "the pid file");
    const [pgid] = fs.readFileSync(pidfile, "utf8").trim().split(" ").map(Number);
    await cancelRun(runId, "erin");
    await finished(runId);
    await waitFor(async () => !signalGroup(pgid!, 0), "the process group to be gone", 10_000);
  });

  test("a run past its hard deadline is stopped like a cancel and ends failed, saying the deadline passed", async () => {
    mode("sleep");
    const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "deadline" }, "hank");
    await waitFor(
      async () =>
        (await t.prisma.runStep.findFirst({ where: { runId, index: 0, status: "running", pgid: { not: null } } })) ??
        null,
      "the step to run",
    );
    const claimed = await t.prisma.run.findUnique({ where: { id: runId } });
    expect(claimed!.deadlineAt!.getTime() - claimed!.startedAt!.getTime()).toBe(15 * 60_000); // verify's deadline
    await t.prisma.run.update({ where: { id: runId }, data: { deadlineAt: new Date(Date.now() - 1_000) } });
    const run = await finished(runId);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/^deadline passed: the run had to finish by /);
    expect(run.steps[0]!.status).toBe("cancelled");
  });
});
