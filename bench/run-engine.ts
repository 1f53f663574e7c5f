// Benchmarks of the run engine (issue: run engine "Speed"): log ingest, line-to-SSE latency, pipeline
// overhead against plain bash, and worker memory. Real PostgreSQL, a real worker process, real steps.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { setDatabaseUrl } from "@/server/db";
import { throwawayDatabase } from "@/test/throwaway-db";
import { LogWriter } from "@/server/worker/log-writer";
import { startRun } from "@/server/runs/start-run";
import { median, type BenchRow } from "./figures";
import { runEventStream } from "@/server/runs/run-event-stream";
import { isTerminalStatus } from "@/lib/run-states";

const SCRIPTS = path.resolve("bench/scripts");
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

async function ingest(url: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const rates: number[] = [];
  for (let round = 0; round < 3; round++) {
    const cluster = await pool.query(
      `INSERT INTO "Cluster" (id, name, kind, config, "updatedAt") VALUES ($1, $1, 'sandbox', '{}', now()) RETURNING id`,
      [`ingest-${round}`],
    );
    const run = await pool.query(
      `INSERT INTO "Run" (id, "clusterId", pipeline, status, "requestedBy", reason) VALUES ($1, $2, 'verify', 'succeeded', 'bench', 'ingest') RETURNING id`,
      [`ingest-run-${round}`, cluster.rows[0].id],
    );
    const writer = new LogWriter(pool, run.rows[0].id, 0, { capBytes: 1 << 30 });
    const n = 300_000;
    const t0 = performance.now();
    for (let i = 1; i <= n; i++) {
      if (!writer.append(0, "stdout", `t=${Date.now()} line ${i}: TASK [kubeadm : join workers] ok: [worker-1]`))
        await writer.drain();
    }
    await writer.drain();
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  await pool.end();
  return median(rates);
}

function startWorker(url: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/worker/main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORTAL_SCRIPTS_DIR: SCRIPTS,
      PORTAL_HEARTBEAT_MS: "1000",
      PORTAL_LOG_CAP_BYTES: String(1 << 30),
      ...env,
    },
    stdio: "ignore",
  });
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}

async function waitRun(prisma: Awaited<ReturnType<typeof throwawayDatabase>>["prisma"], runId: string) {
  for (;;) {
    const r = await prisma.run.findUnique({ where: { id: runId } });
    if (r && isTerminalStatus(r.status)) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Runs the engine benchmarks and returns their rows. */
export async function benchRunEngine(): Promise<BenchRow[]> {
  const t = await throwawayDatabase();
  setDatabaseUrl(t.url);
  await t.prisma.cluster.create({
    data: {
      name: "bench",
      kind: "sandbox",
      config: { name: "bench", kind: "sandbox", stateDir: "/tmp/bench-sandbox", links: {} },
    },
  });
  const rows: BenchRow[] = [];
  try {
    const rate = await ingest(t.url);
    rows.push({
      name: "log ingest into PostgreSQL (median of 3 × 300k lines)",
      value: Math.round(rate),
      unit: "lines/s",
      target: ">= 100000",
      ok: rate >= 100_000,
    });

    // Latency: a step prints 5,000 lines/s for 10 s; an SSE reader notes when each line arrives.
    let worker = startWorker(t.url, { BENCH_LINES: "50000", BENCH_RATE: "5000" });
    const { runId } = await startRun({ cluster: "bench", pipeline: "verify", reason: "latency bench" }, "bench");
    const latencies: number[] = [];
    const reader = runEventStream(runId, 0).getReader();
    const decoder = new TextDecoder();
    for (let buf = ""; ;) {
      const { value, done } = await reader.read();
      if (done) break;
      const now = Date.now();
      buf += decoder.decode(value, { stream: true });
      const cut = buf.lastIndexOf("\n");
      for (const m of buf.slice(0, cut).matchAll(/"x":"t=(\d+) line/g)) latencies.push(now - Number(m[1]));
      buf = buf.slice(cut + 1);
    }
    await waitRun(t.prisma, runId);
    const p95 = pct(latencies, 95);
    rows.push({
      name: `line printed -> SSE client, p95 at 5,000 lines/s (${latencies.length} lines)`,
      value: p95,
      unit: "ms",
      target: "<= 250",
      ok: p95 <= 250,
    });
    worker.kill("SIGTERM");
    await new Promise((r) => worker.once("exit", r));

    // Overhead and memory: 1,000,000 lines over the 3 steps, printed at 40,000 lines/s, vs the same scripts in bash.
    const env = { BENCH_LINES: "333334", BENCH_RATE: "40000" };
    const b0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const script = ["check-cluster-health.sh", "check-etcd-health.sh", "check-monitoring-status.sh"]
        .map((s) => `"${SCRIPTS}/${s}"`)
        .join(" && ");
      const direct = spawn("bash", ["-c", script], {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "inherit"],
      });
      direct.stdout!.on("data", () => undefined);
      direct.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`bash exited ${code}`))));
    });
    const bashMs = performance.now() - b0;
    worker = startWorker(t.url, env);
    await new Promise((r) => setTimeout(r, 3_000)); // let the worker start before the clock does
    const run = await startRun({ cluster: "bench", pipeline: "verify", reason: "overhead bench" }, "bench-2");
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(worker.pid!))), 100);
    const done = await waitRun(t.prisma, run.runId);
    clearInterval(sampler);
    worker.kill("SIGTERM");
    await new Promise((r) => worker.once("exit", r));
    const pipelineMs = done.finishedAt!.getTime() - done.startedAt!.getTime();
    const lines = await t.prisma.logLine.count({ where: { runId: run.runId } });
    const ratio = pipelineMs / bashMs;
    rows.push({
      name: `pipeline of 1,000,000 lines vs bash (${(pipelineMs / 1000).toFixed(1)} s vs ${(bashMs / 1000).toFixed(1)} s; ${lines} lines stored)`,
      value: Number(ratio.toFixed(3)),
      unit: "x",
      target: "<= 1.10",
      ok: ratio <= 1.1,
    });
    rows.push({
      name: "worker RSS through that run (peak)",
      value: Math.round(peak / 1024 / 1024),
      unit: "MB",
      target: "<= 200",
      ok: peak <= 200 * 1024 * 1024,
    });
  } finally {
    await t.drop();
  }
  return rows;
}
