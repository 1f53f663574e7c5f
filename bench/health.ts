// Benchmark: cluster health (all 7 sources in parallel + roll-up) on the 4-node sandbox and on a
// 500-node / 15,000-pod one, and how close the total is to the slowest single source.
// Run alone: node --import tsx --conditions=react-server bench/health.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startSandbox } from "../infra/sandbox/index";
import { collectHealth, type HealthSnapshot } from "../server/cluster/health/collect-health";
import type { SandboxClusterConfig } from "../server/config/clusters";
import { runWhenMain, type BenchRow } from "./figures";

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function runs(config: SandboxClusterConfig, n: number): Promise<HealthSnapshot[]> {
  await collectHealth(config); // warm: agents, EC2 client, JIT
  const out: HealthSnapshot[] = [];
  for (let i = 0; i < n; i++) out.push(await collectHealth(config, { timeouts: { pods: 30_000 } }));
  return out;
}

async function withSandbox<T>(
  opts: { nodes?: number; podsPerNode?: number },
  fn: (c: SandboxClusterConfig) => Promise<T>,
): Promise<T> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "health-bench-"));
  const sb = await startSandbox({ stateDir, provisioned: true, timeScale: 0, cluster: "growbin-sandbox", ...opts });
  try {
    return await fn({ name: "growbin-sandbox", kind: "sandbox", stateDir, links: {} });
  } finally {
    await sb.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Health latency (median and p95) at both sizes, and total / slowest source. */
export async function benchHealth(): Promise<BenchRow[]> {
  const small = await withSandbox({}, (c) => runs(c, 30));
  const big = await withSandbox({ nodes: 500, podsPerNode: 30 }, (c) => runs(c, 7));
  const pods = big[0]!.data.pods?.length ?? 0;
  if (pods < 14_500) throw new Error(`expected about 15,000 pods, got ${pods}`);
  const total = (h: HealthSnapshot[]) => h.map((x) => x.durationMs);
  const ratio = (h: HealthSnapshot[]) =>
    h.map((x) => x.durationMs / Math.max(1, ...Object.values(x.sources).map((s) => s.durationMs)));
  const smallP95 = pct(total(small), 95);
  const bigP95 = pct(total(big), 95);
  const r = pct([...ratio(small.slice(-10)), ...ratio(big)], 50);
  return [
    { name: "health, 4-node sandbox, median", value: pct(total(small), 50), unit: "ms", target: "-", ok: true },
    { name: "health, 4-node sandbox, p95", value: smallP95, unit: "ms", target: "<= 150", ok: smallP95 <= 150 },
    { name: `health, 500 nodes / ${pods} pods, median`, value: pct(total(big), 50), unit: "ms", target: "-", ok: true },
    { name: `health, 500 nodes / ${pods} pods, p95`, value: bigP95, unit: "ms", target: "<= 1500", ok: bigP95 <= 1500 },
    {
      name: "total / slowest source (median)",
      value: Math.round(r * 100) / 100,
      unit: "x",
      target: "<= 1.3",
      ok: r <= 1.3,
    },
  ];
}

runWhenMain(__filename, benchHealth);
