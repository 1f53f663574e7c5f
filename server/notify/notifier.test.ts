import pg from "pg";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { runTestDatabase, testWorker, waitFor } from "@/test/run-fixtures";
import { startRun } from "@/server/runs/start-run";
import { cancelRun } from "@/server/runs/cancel-run";
import { sweepStaleRuns } from "@/server/worker/sweep-runs";
import { startNotifier, type Notifier } from "@/server/notify/notifier";
import { startReceiver } from "@/server/notify/__fixtures__/receiver";
import type { Worker } from "@/server/worker/worker";

// Webhooks end to end on the real PostgreSQL: a worker runs fixture pipelines, TWO notifiers (as with
// two workers' background processes) listen, and a local receiver records what arrives.

let t: Awaited<ReturnType<typeof runTestDatabase>>;
let worker: Worker;
let notifiers: Notifier[];
let recv: Awaited<ReturnType<typeof startReceiver>>;
let pool: pg.Pool;
const BASE = "https://portal.example.test";

async function addCluster(name: string, webhooks: Record<string, unknown>[]) {
  return t.prisma.cluster.create({
    data: {
      name,
      kind: "sandbox",
      config: { name, kind: "sandbox", stateDir: `/tmp/${name}`, links: {}, webhooks } as never,
    },
  });
}

const finished = (runId: string) =>
  waitFor(async () => {
    const r = await t.prisma.run.findUnique({ where: { id: runId } });
    return r && ["succeeded", "failed", "cancelled", "interrupted"].includes(r.status) ? r : null;
  }, `run ${runId} to end`);

const bodies = (path: string) => recv.on(path).map((r) => r.body as Record<string, unknown>);

beforeAll(async () => {
  t = await runTestDatabase();
  recv = await startReceiver();
  process.env.TEST_SLACK_WEBHOOK_SECRET = recv.url("/ok/slack");
  await t.prisma.cluster.update({
    where: { id: t.cluster.id },
    data: {
      config: {
        name: "growbin-test",
        kind: "sandbox",
        stateDir: "/tmp/growbin-test-sandbox",
        links: {},
        webhooks: [
          { name: "ops-json", format: "json", url: recv.url("/ok/json") },
          { name: "ops-slack", format: "slack", urlEnv: "TEST_SLACK_WEBHOOK_SECRET" },
        ],
      },
    },
  });
  await addCluster("growbin-fail", [
    { name: "broken", format: "json", url: recv.url("/fail"), events: ["run.succeeded"] },
  ]);
  await addCluster("growbin-hang", [{ name: "stuck", format: "json", url: recv.url("/hang") }]);
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
  const opts = {
    databaseUrl: t.url,
    baseUrl: `${BASE}/`,
    delivery: { backoffMs: 20, maxBackoffMs: 100, maxAttempts: 3, timeoutMs: 120_000 },
    idleMs: 200,
  };
  notifiers = await Promise.all([startNotifier(opts), startNotifier(opts)]);
  worker = testWorker(t.url);
  await worker.start();
});

afterAll(async () => {
  await worker.stop(0);
  await Promise.all(notifiers.map((n) => n.stop()));
  await recv.close();
  await pool.end();
  await t.drop();
});

describe("webhook notifications (real PostgreSQL, local receiver)", () => {
  test("a run that succeeds sends started and succeeded, once each, as JSON and as a Slack message", async () => {
    process.env.FIXTURE_MODE = "ok";
    const { runId } = await startRun(
      { cluster: "growbin-test", pipeline: "verify", reason: "nightly <!channel> check" },
      "alice",
    );
    await finished(runId);
    await waitFor(
      async () =>
        recv.on("/ok/json").filter((r) => (r.body as { run: { runId: string } }).run.runId === runId).length >= 2 &&
        recv.on("/ok/slack").length >= 2,
      "both events at both receivers",
    );
    const json = bodies("/ok/json").filter((b) => (b.run as { runId: string }).runId === runId);
    expect(json.map((b) => b.event)).toEqual(["run.started", "run.succeeded"]);
    expect(json[1]).toMatchObject({
      cluster: "growbin-test",
      url: `${BASE}/runs/${runId}`,
      run: { pipeline: "verify", status: "succeeded", requestedBy: "alice", reason: "nightly <!channel> check" },
    });
    expect(json[1]!.text).toMatch(/^Verify succeeded on growbin-test \(requested by alice\) in \d+s\.$/);
    const slack = bodies("/ok/slack") as { text: string; blocks: { text?: { text: string } }[] }[];
    expect(slack[0]!.text).toContain(
      'Verify started on growbin-test, requested by alice: "nightly &lt;!channel&gt; check"',
    );
    expect(slack[1]!.blocks[0]!.text!.text).toContain(`<${BASE}/runs/${runId}|Open the run>`);
    expect(recv.on("/ok/json")[0]!.headers["x-portal-event"]).toBe("run.started");
    // Two notifiers saw every NOTIFY; the outbox's unique key let only one of them record each event.
    const events = await waitFor(async () => {
      const list = await t.prisma.notificationEvent.findMany({ where: { runId }, include: { deliveries: true } });
      return list.every((e) => e.deliveries.every((d) => d.status !== "pending")) && list;
    }, "deliveries recorded");
    expect(events.map((e) => e.event).sort()).toEqual(["run.started", "run.succeeded"]);
    expect(events.flatMap((e) => e.deliveries.map((d) => [d.webhook, d.status, d.statusCode, d.attempts]))).toEqual(
      expect.arrayContaining([
        ["ops-json", "delivered", 200, 1],
        ["ops-slack", "delivered", 200, 1],
      ]),
    );
  });

  test("a failed run and a cancelled run are announced with the error and who cancelled", async () => {
    process.env.FIXTURE_MODE = "fail";
    const failed = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "expect failure" }, "bob");
    await finished(failed.runId);
    process.env.FIXTURE_MODE = "sleep";
    const cancelled = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "to be cancelled" }, "bob");
    await waitFor(
      () => t.prisma.runStep.findFirst({ where: { runId: cancelled.runId, status: "running", pgid: { not: null } } }),
      "step running",
    );
    await cancelRun(cancelled.runId, "carol");
    await finished(cancelled.runId);
    const of = (runId: string, event: string) =>
      waitFor(
        async () => bodies("/ok/json").find((b) => b.event === event && (b.run as { runId: string }).runId === runId),
        `${event} of ${runId}`,
      );
    expect((await of(failed.runId, "run.failed")).text).toMatch(
      /^Verify failed on growbin-test \(requested by bob\) after \d+s: step 1 \(Cluster health\) failed: exit code 3\.$/,
    );
    expect((await of(cancelled.runId, "run.cancelled")).text).toBe(
      "Verify on growbin-test (requested by bob) was cancelled by carol.",
    );
  });

  test("a run interrupted by the sweeper is announced as interrupted", async () => {
    const run = await t.prisma.run.create({
      data: {
        clusterId: t.cluster.id,
        pipeline: "provision",
        requestedBy: "dave",
        reason: "lost worker",
        status: "running",
        startedAt: new Date(Date.now() - 120_000),
        heartbeatAt: new Date(Date.now() - 60_000),
        workerId: "ghost",
      },
    });
    await sweepStaleRuns(pool, 1_000);
    const body = await waitFor(
      async () =>
        bodies("/ok/json").find((b) => b.event === "run.interrupted" && (b.run as { runId: string }).runId === run.id),
      "run.interrupted",
    );
    expect(body.text).toMatch(
      /^Provision on growbin-test \(requested by dave\) was interrupted: interrupted: worker ghost stopped heartbeating/,
    );
    expect(
      bodies("/ok/json")
        .filter((b) => (b.run as { runId: string }).runId === run.id)
        .map((b) => b.event),
    ).toContain("run.started");
  });

  test("a receiver that answers 500 is retried with backoff, then given up on and logged in the delivery log", async () => {
    const logged: string[] = [];
    const spy = vi
      .spyOn(process.stderr, "write")
      .mockImplementation((chunk: string | Uint8Array) => (logged.push(String(chunk)), true));
    process.env.FIXTURE_MODE = "ok";
    const { runId } = await startRun({ cluster: "growbin-fail", pipeline: "verify", reason: "receiver down" }, "erin");
    await finished(runId);
    const delivery = await waitFor(
      () => t.prisma.webhookDelivery.findFirst({ where: { webhook: "broken", status: "failed", event: { runId } } }),
      "the delivery to be given up",
    );
    expect(delivery).toMatchObject({ attempts: 3, statusCode: 500, error: "HTTP 500: boom" });
    expect(recv.on("/fail")).toHaveLength(3);
    await waitFor(async () => logged.some((l) => l.includes("webhook delivery gave up")), "the give-up log line");
    spy.mockRestore();
    const line = JSON.parse(logged.find((l) => l.includes("webhook delivery gave up"))!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: "warn",
      webhook: "broken",
      event: "run.succeeded",
      attempt: 3,
      statusCode: 500,
    });
    // The URL is a secret: neither the log nor the delivery log carries it.
    expect(logged.join("")).not.toContain(recv.url("/fail"));
    // The webhook asked for run.succeeded only: run.started was never queued for it.
    expect(await t.prisma.webhookDelivery.count({ where: { webhook: "broken" } })).toBe(1);
  });

  test("a receiver that never answers does not delay the run's completion", async () => {
    process.env.FIXTURE_MODE = "ok";
    const { runId } = await startRun(
      { cluster: "growbin-hang", pipeline: "verify", reason: "receiver hangs" },
      "frank",
    );
    await waitFor(async () => recv.on("/hang").length >= 1, "the hanging receiver to get run.started");
    const run = await finished(runId);
    expect(run.status).toBe("succeeded");
    // The run ended while the request for its start was still open: nothing in the run waited for it.
    expect(recv.on("/hang").every((r) => !r.answered)).toBe(true);
    const started = await t.prisma.webhookDelivery.findFirst({
      where: { webhook: "stuck", event: { runId, event: "run.started" } },
    });
    expect(started).toMatchObject({ status: "pending", attempts: 1, statusCode: null });
    expect(started!.lastAttemptAt).not.toBeNull();
  });
});
