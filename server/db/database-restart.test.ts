// PostgreSQL restarted in the middle of a run, under every process that is connected: the worker running
// it, the web's SSE stream of it, the background jobs (health collector, health snapshots, notifier), and
// `growbin verify` in a terminal following it. On a private server of the test's own (test/private-postgres.ts).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createPrisma, setDatabaseUrl } from "@/server/db";
import { POOL_APPLICATION_NAME, POOL_MAX, endPools, pgPool } from "@/server/db/pool";
import { LISTEN_APPLICATION_NAME, closeNotifyHubs, notifyHub } from "@/server/db/notify-hub";
import { startHealthCollector, type HealthCollector } from "@/server/worker/health-collector";
import { startHealthSnapshotJob } from "@/server/runs/record-health-snapshots";
import { startNotifier, type Notifier } from "@/server/notify/notifier";
import { runEventStream } from "@/server/runs/run-event-stream";
import type { Worker } from "@/server/worker/worker";
import { testWorker, waitFor } from "@/test/run-fixtures";
import { privatePostgres, type PrivatePostgres } from "@/test/private-postgres";
import { cleanEnv } from "@/test/temp-clone";

const SCRIPTS = path.resolve("test/__fixtures__/restart-scripts");
const LINES = 90;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "db-restart-"));
const gate = path.join(dir, "gate");
const config = path.join(dir, "portal.config.json");
const CLUSTER = { name: "growbin-test", kind: "sandbox", stateDir: path.join(dir, "sandbox-absent") };
fs.writeFileSync(config, JSON.stringify({ clusters: [CLUSTER] }));

let pg: PrivatePostgres;
let prisma: ReturnType<typeof createPrisma>;
let worker: Worker | null = null;
let collector: HealthCollector | null = null;
let notifier: Notifier | null = null;
let snapshots: { stop(): Promise<void> } | null = null;

beforeAll(async () => {
  pg = await privatePostgres();
  setDatabaseUrl(pg.url);
  prisma = createPrisma(pg.url);
}, 120_000);

afterAll(async () => {
  await worker?.stop(0);
  await collector?.stop();
  await notifier?.stop();
  await snapshots?.stop();
  await prisma?.$disconnect();
  await Promise.all([endPools(pg?.url), closeNotifyHubs(pg?.url)]);
  await pg?.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Event = { id?: string; event: string; data: string };

/** Reads a whole SSE stream (until the server ends it). */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<Event[]> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const events: Event[] = [];
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    buf += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      if (block.startsWith(":") || block.startsWith("retry:")) continue;
      const e: Event = { event: "message", data: "" };
      for (const line of block.split("\n")) {
        const i = line.indexOf(": ");
        const [k, v] = [line.slice(0, i), line.slice(i + 2)];
        if (k === "id") e.id = v;
        else if (k === "event") e.event = v;
        else if (k === "data") e.data += v;
      }
      events.push(e);
    }
  }
}

test("PostgreSQL restarts mid-run: the run succeeds with every line; the CLI prints each line once and exits 0; the SSE reader gets each line once; the background jobs carry on; one pool and one listener per process", async () => {
  // The worker (in this process, as `npm run worker` has it) and the background jobs beside it.
  process.env.FIXTURE_GATE = gate;
  process.env.FIXTURE_LINES = String(LINES);
  worker = testWorker(pg.url, { scriptsDir: SCRIPTS, staleAfterMs: 120_000 });
  await worker.start();
  notifier = await startNotifier({ databaseUrl: pg.url, baseUrl: "http://127.0.0.1:9", rescanEveryMs: 3_600_000 });
  collector = await startHealthCollector({ databaseUrl: pg.url, prisma, collectMs: 3_600_000, idleMs: 3_600_000 });
  snapshots = startHealthSnapshotJob((run) => collector!.readNow(run.clusterId));

  // The terminal: `growbin verify`, which finds the live worker and follows the run it claims.
  const cli = spawn("bin/growbin.mjs", ["verify", "--cluster", CLUSTER.name, "--reason", "restart test"], {
    env: cleanEnv({ DATABASE_URL: pg.url, PORTAL_CONFIG: config, PORTAL_HEARTBEAT_MS: "200" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  cli.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  cli.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => cli.once("exit", (code) => resolve(code)));

  const run = await waitFor(() => prisma.run.findFirst({ where: { reason: "restart test" } }), "the CLI's run");
  // The web: an SSE reader of the run, from its first line.
  const sse = readAll(runEventStream(run.id, 0, { keepAliveMs: 1_000 }));

  // Mid-run: the step has written its first half and waits; the CLI has printed it.
  await waitFor(async () => stdout.includes(`before ${LINES}\n`), "the CLI to print the first half");
  const beforeRestart = new Date();
  await pg.restart();
  fs.writeFileSync(gate, "");

  // The CLI followed it to the end: no crash on the lost connection (it exited 1 with a pg stack trace before), exit 0.
  const code = await exited;
  expect(stderr).not.toMatch(/Unhandled|uncaught|\n\s+at /i);
  expect(code, stderr).toBe(0);
  // The worker: the run succeeded, with every line of the step's both halves stored once.
  const ended = await prisma.run.findUniqueOrThrow({ where: { id: run.id }, include: { steps: true } });
  expect(ended.status, JSON.stringify({ error: ended.error, steps: ended.steps.map((s) => [s.key, s.status]) })).toBe(
    "succeeded",
  );
  const stored = await prisma.logLine.findMany({ where: { runId: run.id }, orderBy: { seq: "asc" } });
  const texts = stored.map((l) => l.text);
  const step = [
    ...Array.from({ length: LINES }, (_, i) => `before ${i + 1}`),
    ...Array.from({ length: LINES }, (_, i) => `after ${i + 1}`),
  ];
  expect(texts.filter((t) => /^(before|after) \d+$/.test(t))).toEqual(step);
  expect(stored.map((l) => l.seq)).toEqual(stored.map((_, i) => i + 1));

  // The CLI: every stored line printed once, in order, and nothing else.
  const printed = stdout.split("\n").slice(0, -1);
  expect(printed).toEqual(stored.map((l) => (l.stream === "system" ? `» ${l.text}` : l.text)));

  // The web: the SSE reader got every line once, then the end.
  const events = await sse;
  const seqs = events
    .filter((e) => e.event === "lines")
    .flatMap((e) => (JSON.parse(e.data) as { seq: number }[]).map((l) => l.seq));
  expect(seqs).toEqual(stored.map((l) => l.seq));
  expect(events.at(-1)).toMatchObject({ event: "end", data: JSON.stringify({ status: "succeeded" }) });

  // The background jobs: the run's end (after the restart) reached the notifier and the snapshot job
  // through the reconnected listener, and the collector reads and stores again.
  await waitFor(
    () => prisma.notificationEvent.findFirst({ where: { runId: run.id, event: "run.succeeded" } }),
    "the notifier to record the run's end",
  );
  await waitFor(() => prisma.healthSnapshot.findUnique({ where: { runId: run.id } }), "the run's health snapshot");
  const reading = await collector.readNow(run.clusterId);
  expect(new Date(reading.at).getTime()).toBeGreaterThan(beforeRestart.getTime());
  const health = await prisma.clusterHealth.findUniqueOrThrow({ where: { clusterId: run.clusterId } });
  expect(health.checkedAt.getTime()).toBeGreaterThan(beforeRestart.getTime());

  // One pool and one LISTEN connection for this process (worker, three background jobs, web stream,
  // Prisma): nothing else is connected now that the CLI has exited.
  const conns = await pg.connections();
  expect(conns.map((c) => c.application).sort()).toEqual([POOL_APPLICATION_NAME, LISTEN_APPLICATION_NAME].sort());
  expect(conns.find((c) => c.application === LISTEN_APPLICATION_NAME)!.count).toBe(1);
  expect(conns.find((c) => c.application === POOL_APPLICATION_NAME)!.count).toBeLessThanOrEqual(POOL_MAX);
}, 120_000);

test("the notify hub across a restart: it reconnects, LISTENs on every channel again, wakes each subscriber once with null, then delivers as before", async () => {
  const hub = notifyHub(pg.url);
  const got: Record<string, (string | null)[]> = { a: [], b: [], keyed: [] };
  const offs = [
    await hub.subscribeAll("test_restart_a", (p) => got.a!.push(p)),
    await hub.subscribeAll("test_restart_b", (p) => got.b!.push(p)),
    await hub.subscribe(
      "test_restart_a",
      "k1",
      (p) => got.keyed!.push(p),
      (p) => p.split(":")[0]!,
    ),
  ];
  const notify = (channel: string, payload: string) =>
    pgPool(pg.url).query(`SELECT pg_notify($1, $2)`, [channel, payload]);
  await notify("test_restart_a", "k1:before");
  await waitFor(async () => got.keyed!.length === 1, "the notification before the restart");
  await pg.restart();
  await waitFor(
    async () => got.a!.includes(null) && got.b!.includes(null) && got.keyed!.includes(null),
    "the wake-up after the reconnect",
  );
  await notify("test_restart_a", "k1:after");
  await notify("test_restart_b", "x");
  await waitFor(async () => got.keyed!.length === 3 && got.b!.length === 2, "the notifications after the restart");
  expect(got).toEqual({ a: ["k1:before", null, "k1:after"], b: [null, "x"], keyed: ["k1:before", null, "k1:after"] });
  for (const off of offs) off();
  expect((await pg.connections()).find((c) => c.application === LISTEN_APPLICATION_NAME)?.count).toBe(1);
}, 120_000);
