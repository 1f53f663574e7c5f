// Benchmark: the running portal against a 500-node / 15,000-pod sandbox: health through the web's own
// route, and the resident memory of the web server and the worker (target from the tier-health issue:
// <= 300 MB each). The worker's background child (queue sampler, tier watch) is reported beside it.
import { rssMb, startBenchPortal } from "./start-portal";

type Row = { name: string; value: number; unit: string; target: string; ok: boolean };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Health route latency and process memory at 500 nodes. */
export async function benchPortalMemory(): Promise<Row[]> {
  const portal = await startBenchPortal({ sandboxUp: ["--provisioned", "--nodes", "500", "--pods-per-node", "30", "--time-scale", "0"] });
  try {
    const peak = { web: 0, worker: 0, background: 0 };
    const sample = () => {
      const p = portal.pids();
      for (const k of ["web", "worker", "background"] as const) peak[k] = Math.max(peak[k], ...p[k].map(rssMb), 0);
    };
    const times: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t0 = performance.now();
      const res = await portal.context.request.get(`${portal.url}/api/clusters/growbin-sandbox/health`);
      if (!res.ok()) throw new Error(`health answered ${res.status()}`);
      await res.body();
      if (i > 0) times.push(performance.now() - t0);
      sample();
    }
    // Let the background process's periodic jobs (queue sample, tier watch) run at this size too.
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      sample();
    }
    const t = Math.round(median(times));
    return [
      { name: "health route at 500 nodes / ~15,000 pods (median of 7)", value: t, unit: "ms", target: "<= 1500", ok: t <= 1500 },
      { name: "web server RSS (peak)", value: Math.round(peak.web), unit: "MB", target: "<= 300", ok: peak.web > 0 && peak.web <= 300 },
      { name: "worker RSS (peak)", value: Math.round(peak.worker), unit: "MB", target: "<= 300", ok: peak.worker > 0 && peak.worker <= 300 },
      { name: "worker's background process RSS (peak; sampler and tier watch)", value: Math.round(peak.background), unit: "MB", target: "-", ok: true },
    ];
  } finally {
    await portal.stop();
  }
}

if (process.argv[1]?.endsWith("portal-memory.ts")) {
  void benchPortalMemory().then((rows) => {
    for (const r of rows) console.log(`${r.ok ? "ok  " : "MISS"}  ${r.name}: ${r.value} ${r.unit} (target ${r.target})`);
    process.exit(0);
  });
}
