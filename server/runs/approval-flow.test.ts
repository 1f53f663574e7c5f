// Guarded runs end to end: a real PostgreSQL, a real worker running the real infra/scripts against the
// sandbox target (plan.sh, build-cluster.sh / cleanup.sh --plan), and the CLI as a child process.
import { execFile, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setDatabaseUrl } from "@/server/db";
import { throwawayDatabase } from "@/test/throwaway-db";
import { testWorker, waitFor } from "@/test/run-fixtures";
import { startRun } from "@/server/runs/start-run";
import { approveRun, interruptStale, rejectRun } from "@/server/runs/run-store";
import { recordRunEvents } from "@/server/notify/record-events";
import type { PlanSummary } from "@/server/plans/plan-summary";
import type { Worker } from "@/server/worker/worker";

const execFileP = promisify(execFile);
const CLUSTER = "growbin-guarded";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "approval-flow-"));
const stateDir = path.join(dir, "sandbox");
const entry = { name: CLUSTER, kind: "sandbox", stateDir, timeScale: 0.01, links: {}, approval: { required: true } };
const configFile = path.join(dir, "portal.config.json");
fs.writeFileSync(configFile, JSON.stringify({ clusters: [entry] }));

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
let worker: Worker;
let pool: pg.Pool;

beforeAll(async () => {
  t = await throwawayDatabase();
  setDatabaseUrl(t.url);
  await t.prisma.cluster.create({ data: { name: CLUSTER, kind: "sandbox", config: entry } });
  await t.prisma.user.createMany({
    data: [
      { username: "alice", role: "operator" },
      { username: "bob", role: "operator" },
      { username: "carol", role: "admin" },
    ],
  });
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
  worker = testWorker(t.url, { scriptsDir: path.resolve("infra/scripts"), staleAfterMs: 5_000 });
  await worker.start();
}, 60_000);
afterAll(async () => {
  await worker?.stop(0);
  await pool?.end();
  await t?.drop();
  spawnSync(process.execPath, ["--import", "tsx", "infra/sandbox/cli.ts", "down", "--state", stateDir], {
    stdio: "ignore",
  });
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = (id: string) =>
  t.prisma.run.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { index: "asc" } }, plan: true } });
const inState = (id: string, ...states: string[]) =>
  waitFor(
    async () => {
      const r = await run(id);
      return states.includes(r.status) ? r : null;
    },
    `run ${id} to be ${states.join(" or ")}`,
    180_000,
  );
const logText = async (id: string) =>
  (await t.prisma.logLine.findMany({ where: { runId: id }, orderBy: { seq: "asc" } })).map((l) => l.text).join("\n");
const start = (pipeline: "provision" | "teardown", by = "alice") =>
  startRun({ cluster: CLUSTER, pipeline, reason: `guarded ${pipeline}`, confirm: CLUSTER }, by);

function cli(args: string[]) {
  return execFileP(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/cli/main.ts", ...args], {
    env: { ...process.env, DATABASE_URL: t.url, PORTAL_CONFIG: configFile },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

describe("guarded runs: plan, then a second person approves", () => {
  test("a provision plans, waits holding the cluster, refuses the requester and a wrong role, and applies the saved plan once approved (CLI)", async () => {
    const { runId } = await start("provision");
    const waiting = await inState(runId, "awaiting_approval", "failed");
    expect(waiting.status, await logText(runId)).toBe("awaiting_approval");
    expect(waiting.steps.map((s) => [s.key, s.status]).slice(0, 2)).toEqual([
      ["plan", "succeeded"],
      ["provision-infra", "pending"],
    ]);
    // The plan is stored in PostgreSQL with its summary: the sandbox's fresh cluster gets its 4 instances.
    const summary = waiting.plan!.summary as unknown as PlanSummary;
    expect(summary.add).toBeGreaterThanOrEqual(4);
    expect(summary.destroy).toBe(0);
    expect(summary.byType.find((b) => b.type === "aws_instance")?.add).toBe(4);
    expect(waiting.plan!.plan.length).toBeGreaterThan(0);
    expect(waiting.plan!.approverRole).toBe("admin");
    // Nobody owns it and nothing heartbeats it, yet the sweeper leaves it alone and it holds the cluster.
    expect(waiting.workerId).toBeNull();
    expect((await interruptStale(pool, 1)).ids).not.toContain(runId);
    await expect(startRun({ cluster: CLUSTER, pipeline: "verify", reason: "meanwhile" }, "bob")).rejects.toThrow(
      /is busy: run .* awaiting_approval/,
    );

    await expect(approveRun(t.prisma, runId, "alice", "I am sure")).rejects.toThrow(
      /You requested this run: an admin other than you must approve it/,
    );
    await expect(approveRun(t.prisma, runId, "bob", "looks fine")).rejects.toThrow(
      /need the admin role, and you are operator/,
    );
    const self = await cli(["approve", runId, "--comment", "by myself", "--as", "alice"]);
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/refused: You requested this run/);
    expect((await run(runId)).status).toBe("awaiting_approval");

    const ok = await cli(["approve", runId, "--comment", "plan reviewed", "--as", "carol"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`run ${runId} approved by carol`);
    const done = await inState(runId, "succeeded", "failed");
    const log = await logText(runId);
    expect(done.status, log).toBe("succeeded");
    expect(done.plan).toMatchObject({ decision: "approved", decidedBy: "carol", comment: "plan reviewed" });
    expect(log).toMatch(/\$ infra\/scripts\/build-cluster\.sh --yes --phase infra --plan \S+plan\.bin/);

    const actions = (await t.prisma.auditEvent.findMany({ where: { target: runId }, orderBy: { id: "asc" } })).map(
      (a) => `${a.action}:${a.outcome}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        "run.queued:success",
        "run.awaiting-approval:success",
        "run.approve:refused",
        "run.approved:success",
        "run.approve:success",
        "run.succeeded:success",
      ]),
    );
    await recordRunEvents(pool, [runId]);
    const events = (await t.prisma.notificationEvent.findMany({ where: { runId } })).map((e) => e.event);
    expect(events).toEqual(
      expect.arrayContaining(["run.started", "run.awaiting-approval", "run.approved", "run.succeeded"]),
    );
  }, 600_000);

  test("the CLI's provision on a guarded cluster prints the plan summary, waits for the decision made elsewhere, and exits 0 once the run succeeds", async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=react-server",
        "server/cli/main.ts",
        "provision",
        "--cluster",
        CLUSTER,
        "--reason",
        "cli guarded",
      ],
      {
        env: { ...process.env, DATABASE_URL: t.url, PORTAL_CONFIG: configFile },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((r) => child.once("exit", r));
    const queued = await waitFor(
      () => t.prisma.run.findFirst({ where: { reason: "cli guarded" } }),
      "the CLI's run",
      60_000,
    );
    await inState(queued.id, "awaiting_approval");
    await waitFor(
      async () => /awaiting approval by an admin other than cli:/.test(out),
      "the CLI to print that it waits",
      60_000,
    );
    expect(out).toMatch(/plan: \d+ to add, \d+ to change, \d+ to replace, \d+ to destroy/);
    await approveRun(t.prisma, queued.id, "carol", "cli run reviewed");
    expect(await exited, out).toBe(0);
    expect(out).toMatch(new RegExp(`run ${queued.id} succeeded`));
  }, 600_000);

  test("a rejected teardown ends rejected, runs nothing after the plan and frees the cluster", async () => {
    const { runId } = await start("teardown");
    const waiting = await inState(runId, "awaiting_approval", "failed");
    const summary = waiting.plan!.summary as unknown as PlanSummary;
    expect(summary.destroy).toBeGreaterThanOrEqual(4);
    expect(summary.destroyed).toEqual(expect.arrayContaining([expect.stringMatching(/aws_instance/)]));
    expect(summary.components.length).toBeGreaterThan(0);
    await rejectRun(t.prisma, runId, "carol", "not today");
    const r = await run(runId);
    expect(r.status).toBe("rejected");
    expect(r.error).toBe("rejected by carol: not today");
    expect(r.steps.map((s) => s.status)).toEqual(["succeeded", "skipped", "skipped"]);
    await recordRunEvents(pool, [runId]);
    expect((await t.prisma.notificationEvent.findMany({ where: { runId } })).map((e) => e.event)).toContain(
      "run.rejected",
    );
    await expect(approveRun(t.prisma, runId, "carol", "changed my mind")).rejects.toThrow(
      /not awaiting approval \(it is rejected\)/,
    );
  }, 300_000);

  test("a plan nobody decides on expires: the worker's sweeper ends it and frees the cluster", async () => {
    const { runId } = await start("teardown");
    await inState(runId, "awaiting_approval");
    // The window (minutes in production) is moved into the past rather than waited for.
    await t.prisma.runPlan.update({ where: { runId }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const r = await inState(runId, "expired");
    expect(r.error).toMatch(/^expired: nobody approved the plan by/);
    expect(r.plan?.decision).toBe("expired");
    expect(r.steps.slice(1).map((s) => s.status)).toEqual(["skipped", "skipped"]);
    expect(await t.prisma.auditEvent.count({ where: { target: runId, action: "run.expired" } })).toBe(1);
  }, 300_000);

  test("a plan made stale by a change of the state fails the apply with terraform's reason, and nothing is applied", async () => {
    const { runId } = await start("teardown");
    await inState(runId, "awaiting_approval");
    // Someone stops an instance behind the portal's back (the EC2 console): the saved plan no longer matches.
    const change = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "infra/sandbox/cli.ts",
        "fault",
        "instance-stopped",
        "--instance",
        "worker-2",
        "--state",
        stateDir,
      ],
      {
        encoding: "utf8",
      },
    );
    expect(change.status, change.stderr).toBe(0);
    await approveRun(t.prisma, runId, "carol", "go ahead");
    const r = await inState(runId, "failed", "succeeded");
    expect(r.status).toBe("failed");
    expect(r.error).toMatch(/step 3 \(Terraform destroy\) failed: .*Saved plan is stale.*nothing was applied/);
    expect(r.steps.map((s) => s.status)).toEqual(["succeeded", "succeeded", "failed"]);
  }, 300_000);
});
