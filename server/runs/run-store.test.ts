// The run lifecycle's invariants (server/runs/run-store.ts), against a real throwaway PostgreSQL.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { runTestDatabase } from "@/test/run-fixtures";
import { pipeline } from "@/server/runs/pipelines";
import {
  claimRun,
  finishRun,
  finishRunStep,
  interruptStale,
  queueRun,
  requestCancel,
  requestForceKill,
  startRunStep,
  awaitApproval,
  approveRun,
  expireApprovals,
} from "@/server/runs/run-store";
import { RUN_STATE } from "@/server/runs/channels";

let t: Awaited<ReturnType<typeof runTestDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  t = await runTestDatabase();
  pool = new pg.Pool({ connectionString: t.url, max: 4 });
  await t.prisma.user.createMany({
    data: [
      { username: "olga", role: "operator" },
      { username: "ada", role: "admin" },
    ],
  });
});
afterAll(async () => {
  await pool.end();
  await t.drop();
});
// Each test starts with a free cluster: whatever an earlier test left active is ended by hand.
beforeEach(async () => {
  await t.prisma.run.updateMany({
    where: { status: { in: ["queued", "running", "awaiting_approval", "cancelling"] } },
    data: { status: "failed" },
  });
});

const queue = (name: "verify" | "rebuild" = "verify", by = "olga") =>
  queueRun(t.prisma, {
    cluster: { id: t.cluster.id, name: t.cluster.name },
    pipeline: name,
    params: {},
    requestedBy: by,
    reason: "store test",
    gitCommit: null,
    steps: pipeline(name).steps({}),
  });
const status = async (id: string) => (await t.prisma.run.findUniqueOrThrow({ where: { id } })).status;
const audits = (id: string) =>
  t.prisma.auditEvent.findMany({
    where: { target: id },
    orderBy: { id: "asc" },
    select: { action: true, actor: true },
  });

describe("one active run per cluster", () => {
  test("a second queue is refused with the holder named, and the index refuses a write that bypasses the store", async () => {
    const { runId } = await queue();
    await expect(queue("verify", "someone")).rejects.toThrow(
      new RegExp(`growbin-test is busy: run ${runId} \\(verify, queued, by olga\\)`),
    );
    await expect(
      t.prisma.run.create({
        data: { clusterId: t.cluster.id, pipeline: "verify", requestedBy: "x", reason: "bypass", status: "running" },
      }),
    ).rejects.toThrow();
    // Claimed, it still holds the cluster; ended, it frees it.
    const claimed = await claimRun(pool, "w1", runId);
    expect(claimed?.id).toBe(runId);
    await expect(queue()).rejects.toThrow(/is busy/);
    expect(await finishRun(pool, runId, "w1", { status: "succeeded", error: null }, "verify")).toBe(true);
    await expect(queue()).resolves.toMatchObject({ runId: expect.any(String) });
  });
});

describe("terminal states never change", () => {
  test("every transition leaves an ended run as it is", async () => {
    const { runId } = await queue();
    await claimRun(pool, "w1", runId);
    expect(await startRunStep(pool, runId, "w1", 0)).toBe(true);
    expect(
      await finishRunStep(pool, runId, "w1", 0, {
        status: "failed",
        exitCode: 1,
        signal: null,
        truncated: false,
        logBytes: 0,
      }),
    ).toBe(true);
    expect(await finishRun(pool, runId, "w1", { status: "failed", error: "step 1 failed" }, "verify")).toBe(true);
    const before = await t.prisma.run.findUniqueOrThrow({ where: { id: runId }, include: { steps: true } });
    expect(before.steps.map((s) => s.status)).toEqual(["failed", "skipped", "skipped"]);

    expect(await claimRun(pool, "w2", runId)).toBeNull();
    expect(await startRunStep(pool, runId, "w1", 1)).toBe(false);
    expect(await finishRun(pool, runId, "w1", { status: "succeeded", error: null }, "verify")).toBe(false);
    await expect(requestCancel(t.prisma, runId, "olga")).rejects.toThrow(/already ended \(failed\)/);
    await expect(requestForceKill(pool, runId, "ada")).rejects.toThrow(/already ended \(failed\)/);
    await t.prisma.run.update({ where: { id: runId }, data: { heartbeatAt: new Date(0) } });
    expect((await interruptStale(pool, 1)).ids).not.toContain(runId);

    const after = await t.prisma.run.findUniqueOrThrow({ where: { id: runId }, include: { steps: true } });
    expect({ ...after, heartbeatAt: null }).toEqual({ ...before, heartbeatAt: null });
  });
});

describe("only the owning worker moves a claimed run", () => {
  test("another worker can neither start its steps nor end it; the owner can", async () => {
    const { runId } = await queue();
    await claimRun(t.prisma, "owner", runId);
    expect(await startRunStep(pool, runId, "intruder", 0)).toBe(false);
    expect(await finishRun(t.prisma, runId, "intruder", { status: "succeeded", error: null }, "verify")).toBe(false);
    expect(await status(runId)).toBe("running");
    expect(await startRunStep(pool, runId, "owner", 0)).toBe(true);
    expect(
      await finishRunStep(pool, runId, "intruder", 0, {
        status: "succeeded",
        exitCode: 0,
        signal: null,
        truncated: false,
        logBytes: 0,
      }),
    ).toBe(false);
    expect(await finishRun(pool, runId, "owner", { status: "cancelled", error: null }, "verify")).toBe(true);
    expect(await status(runId)).toBe("cancelled");
  });

  test("a stale run is interrupted by the sweeper, after which its old owner cannot end it", async () => {
    const { runId } = await queue();
    await claimRun(pool, "gone", runId);
    await startRunStep(pool, runId, "gone", 0);
    await t.prisma.run.update({ where: { id: runId }, data: { heartbeatAt: new Date(Date.now() - 60_000) } });
    expect((await interruptStale(pool, 5_000)).ids).toEqual([runId]);
    const run = await t.prisma.run.findUniqueOrThrow({
      where: { id: runId },
      include: { steps: { orderBy: { index: "asc" } } },
    });
    expect(run.status).toBe("interrupted");
    expect(run.error).toMatch(/worker gone stopped heartbeating/);
    expect(run.steps.map((s) => [s.status, s.signal])).toEqual([
      ["failed", "worker lost"],
      ["skipped", null],
      ["skipped", null],
    ]);
    expect(await finishRun(pool, runId, "gone", { status: "succeeded", error: null }, "verify")).toBe(false);
  });
});

describe("each change writes its audit row and its NOTIFY with it", () => {
  test("queue, claim, cancel and the end are audited; state changes are announced on the run's channel", async () => {
    const listener = new pg.Client({ connectionString: t.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on("notification", (n) => heard.push(`${n.channel}:${n.payload}`));
    await listener.query(`LISTEN ${RUN_STATE}`);
    try {
      const { runId } = await queue("verify", "olga");
      await claimRun(pool, "w1", runId);
      await requestCancel(pool, runId, "ada");
      await finishRun(pool, runId, "w1", { status: "cancelled", error: null }, "verify");
      expect(await audits(runId)).toEqual([
        { action: "run.queued", actor: "olga" },
        { action: "run.running", actor: "worker:w1" },
        { action: "run.cancelling", actor: "ada" },
        { action: "run.cancelled", actor: "worker:w1" },
      ]);
      // A round trip on the listener's connection delivers whatever was already committed and sent.
      await listener.query("SELECT 1");
      expect(heard.filter((h) => h === `${RUN_STATE}:${runId}`).length).toBeGreaterThanOrEqual(3);
    } finally {
      await listener.end();
    }
  });

  test("a refused change writes nothing: no state, no audit row", async () => {
    const { runId } = await queue();
    await claimRun(pool, "w1", runId);
    const n = await t.prisma.auditEvent.count();
    await expect(requestForceKill(pool, runId, "ada")).rejects.toThrow(/Cancel the run first/);
    expect(await t.prisma.auditEvent.count()).toBe(n);
    expect(await status(runId)).toBe("running");
  });
});

describe("cancel once a rebuild is destroying needs an admin", () => {
  test("before the destroy step an operator may cancel; after it started only an admin, told what is left", async () => {
    const early = await queue("rebuild");
    expect(await requestCancel(t.prisma, early.runId, "olga")).toEqual({ status: "cancelled", warning: null });

    const { runId } = await queue("rebuild");
    await claimRun(pool, "w1", runId);
    await startRunStep(pool, runId, "w1", 0);
    await finishRunStep(pool, runId, "w1", 0, {
      status: "succeeded",
      exitCode: 0,
      signal: null,
      truncated: false,
      logBytes: 0,
    });
    await startRunStep(pool, runId, "w1", 1); // "destroy"
    await expect(requestCancel(t.prisma, runId, "olga")).rejects.toThrow(
      /cancelling needs an admin, and growbin-test will be left down or partially destroyed/,
    );
    await expect(requestCancel(t.prisma, runId, "nobody")).rejects.toThrow(/needs an admin/);
    expect(await status(runId)).toBe("running");
    const res = await requestCancel(t.prisma, runId, "ada");
    expect(res.status).toBe("cancelling");
    expect(res.warning).toMatch(/left down or partially destroyed/);
  });
});

describe("a run awaiting approval", () => {
  const summary = { add: 0, change: 0, destroy: 4, replace: 0, byType: [], destroyed: [], components: [] };
  const terms = { approverRole: "admin" as const, expiresAfterMinutes: 60 };

  test("holds the cluster with no owner, is never swept, only the owner hands it over, and a cancel ends it", async () => {
    const { runId } = await queue("rebuild");
    await claimRun(pool, "w1", runId);
    expect(await awaitApproval(pool, runId, "intruder", { summary, plan: Buffer.from("p") }, terms)).toBe(false);
    expect(await awaitApproval(pool, runId, "w1", { summary, plan: Buffer.from("p") }, terms)).toBe(true);
    const r = await t.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect([r.status, r.workerId, r.heartbeatAt]).toEqual(["awaiting_approval", null, null]);
    await expect(queue()).rejects.toThrow(/is busy: run .* awaiting_approval/);
    expect((await interruptStale(pool, 1)).ids).not.toContain(runId);
    expect(await finishRun(pool, runId, "w1", { status: "succeeded", error: null }, "rebuild")).toBe(false);
    expect(await requestCancel(t.prisma, runId, "olga")).toEqual({ status: "cancelled", warning: null });
    await expect(approveRun(t.prisma, runId, "ada", "too late")).rejects.toThrow(
      /not awaiting approval \(it is cancelled\)/,
    );
  });

  test("approval makes it claimable again with its plan and finished steps; an expired one cannot be approved and is swept to expired", async () => {
    const { runId } = await queue("rebuild");
    await claimRun(pool, "w1", runId);
    await startRunStep(pool, runId, "w1", 0);
    await finishRunStep(pool, runId, "w1", 0, {
      status: "succeeded",
      exitCode: 0,
      signal: null,
      truncated: false,
      logBytes: 0,
    });
    await awaitApproval(pool, runId, "w1", { summary, plan: Buffer.from("saved plan") }, terms);
    expect(await approveRun(t.prisma, runId, "ada", "reviewed")).toEqual({ status: "queued" });
    const again = await claimRun(pool, "w2", runId);
    expect(again).toMatchObject({ id: runId, doneSteps: [0] });
    expect(again!.plan!.toString()).toBe("saved plan");
    await finishRun(pool, runId, "w2", { status: "succeeded", error: null }, "rebuild");

    const late = await queue("rebuild");
    await claimRun(pool, "w1", late.runId);
    await awaitApproval(pool, late.runId, "w1", { summary, plan: Buffer.from("p") }, terms);
    await t.prisma.runPlan.update({ where: { runId: late.runId }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    await expect(approveRun(t.prisma, late.runId, "ada", "reviewed")).rejects.toThrow(/approval window closed/);
    expect(await expireApprovals(pool)).toEqual([late.runId]);
    expect(await status(late.runId)).toBe("expired");
    expect(await expireApprovals(pool)).toEqual([]);
  });
});
