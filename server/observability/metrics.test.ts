import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runTestDatabase, testWorker, waitFor } from "@/test/run-fixtures";
import { startRun } from "@/server/runs/start-run";
import { collectMetrics } from "@/server/observability/collect-metrics";
import { renderExposition } from "@/server/observability/exposition";
import { metricsAccess } from "@/server/observability/metrics-auth";
import { parseExposition, valueOf } from "@/server/observability/__fixtures__/parse-exposition";
import type { Worker } from "@/server/worker/worker";

// /api/metrics' body, from the real PostgreSQL, through a strict exposition-format parser.

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

const scrape = async () => parseExposition(renderExposition(await collectMetrics(t.prisma)));
const sel = { cluster: "growbin-test", pipeline: "verify", status: "succeeded" };

describe("metrics", () => {
  test("an empty portal's metrics parse as valid Prometheus exposition", async () => {
    const families = await scrape();
    expect(families.map((f) => [f.name, f.type])).toEqual(
      expect.arrayContaining([
        ["portal_runs_finished_total", "counter"],
        ["portal_run_duration_seconds", "histogram"],
        ["portal_step_duration_seconds", "histogram"],
        ["portal_worker_heartbeat_age_seconds", "gauge"],
        ["portal_log_lines_ingested_total", "counter"],
        ["portal_health_source_duration_seconds", "summary"],
        ["portal_tier_status", "gauge"],
      ]),
    );
    expect(valueOf(families, "portal_worker_heartbeat_age_seconds", { worker: worker.id })).toBeGreaterThanOrEqual(0);
  });

  test("counters and histograms move when a run completes", async () => {
    const before = await scrape();
    const logLinesBefore = valueOf(before, "portal_log_lines_ingested_total")!;
    process.env.FIXTURE_MODE = "ok";
    const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "metrics" }, "alice");
    await waitFor(
      async () => (await t.prisma.run.findUnique({ where: { id: runId } }))?.status === "succeeded",
      "the run to succeed",
    );
    // pg_stat counters are sent by the backend at transaction end and may lag a moment: wait on them.
    const after = await waitFor(async () => {
      const f = await scrape();
      return valueOf(f, "portal_log_lines_ingested_total")! > logLinesBefore && f;
    }, "log line counter to move");
    expect(
      (valueOf(after, "portal_runs_finished_total", sel) ?? 0) -
        (valueOf(before, "portal_runs_finished_total", sel) ?? 0),
    ).toBe(1);
    expect(valueOf(after, "portal_run_duration_seconds_count", sel)).toBe(
      (valueOf(before, "portal_run_duration_seconds_count", sel) ?? 0) + 1,
    );
    expect(valueOf(after, "portal_run_duration_seconds_bucket", { ...sel, le: "+Inf" })).toBe(
      valueOf(after, "portal_run_duration_seconds_count", sel),
    );
    expect(
      valueOf(after, "portal_step_duration_seconds_count", {
        pipeline: "verify",
        step: "check-etcd",
        status: "succeeded",
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  test("tier status and health-source stats appear as gauges and counters", async () => {
    await t.prisma.tierState.create({
      data: {
        clusterId: t.cluster.id,
        tier: "2",
        observed: "degraded",
        observedSince: new Date(),
        observedAt: new Date(),
        status: "ok",
        statusSince: new Date(),
      },
    });
    await t.prisma.healthSourceStat.create({
      data: {
        clusterId: t.cluster.id,
        source: "rabbitmq",
        checks: 4n,
        errors: 1n,
        durationSumMs: 1200,
        lastDurationMs: 300,
        lastOk: false,
      },
    });
    await t.prisma.healthSourceStat.create({ data: { clusterId: t.cluster.id, source: "*" } });
    const f = await scrape();
    expect(valueOf(f, "portal_tier_status", { cluster: "growbin-test", tier: "2", status: "degraded" })).toBe(1);
    expect(valueOf(f, "portal_tier_status", { cluster: "growbin-test", tier: "2", status: "ok" })).toBe(0);
    expect(valueOf(f, "portal_health_source_errors_total", { source: "rabbitmq" })).toBe(1);
    expect(valueOf(f, "portal_health_source_duration_seconds_sum", { source: "rabbitmq" })).toBe(1.2);
    expect(valueOf(f, "portal_health_source_up", { source: "rabbitmq" })).toBe(0);
    expect(valueOf(f, "portal_health_source_checks_total", { source: "*" })).toBeUndefined();
  });

  test("label values with quotes, backslashes and line feeds are escaped so the exposition still parses", () => {
    const text = renderExposition([
      {
        name: "x_total",
        type: "counter",
        help: "a \\ help\nline",
        samples: [{ labels: { v: 'a"b\\c\nd' }, value: 1 }],
      },
    ]);
    expect(parseExposition(text)[0]).toMatchObject({
      help: "a \\ help\nline",
      samples: [{ labels: { v: 'a"b\\c\nd' }, value: 1 }],
    });
  });

  test("the parser rejects what Prometheus would reject", () => {
    expect(() =>
      parseExposition('# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'),
    ).toThrow(/not cumulative/);
    expect(() => parseExposition('x{a="1"} 1\nx{a="1"} 2\n')).toThrow(/duplicate series/);
    expect(() => parseExposition("x 1")).toThrow(/line feed/);
    expect(() => parseExposition('x{a="1} 1\n')).toThrow(/unterminated/);
  });

  test("the bearer token is required when set, and the endpoint is off when it is not", () => {
    const token = "0123456789abcdef-metrics";
    expect(metricsAccess(null, undefined)).toBe("off");
    expect(metricsAccess(`Bearer ${token}`, undefined)).toBe("off");
    expect(metricsAccess(null, token)).toBe("denied");
    expect(metricsAccess("Bearer wrong-token-0123456789", token)).toBe("denied");
    expect(metricsAccess(`Basic ${token}`, token)).toBe("denied");
    expect(metricsAccess(`Bearer ${token}`, token)).toBe("allowed");
  });
});
