// Benchmark: the running portal against a 500-node / 15,000-pod sandbox: health through the web's own
// routes and pages, and the resident memory of the web server and the worker (target from the
// tier-health issue: <= 300 MB each). The worker's background child, which reads the cluster (health
// collector, queue sampler), is held to the same target.
import { median, runWhenMain, type BenchRow } from "./figures";
import { rssMb, startBenchPortal } from "./start-portal";

/** Health route latency and process memory at 500 nodes. */
export async function benchPortalMemory(): Promise<BenchRow[]> {
  const portal = await startBenchPortal({
    sandboxUp: ["--provisioned", "--nodes", "500", "--pods-per-node", "30", "--time-scale", "0"],
  });
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
    // The tier page's route (its 496 nodes and a page of its ~14,000 pods) and the pages in Chromium.
    const tierTimes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      const res = await portal.context.request.get(`${portal.url}/api/clusters/growbin-sandbox/health/tiers/2`);
      if (!res.ok()) throw new Error(`tier route answered ${res.status()}`);
      await res.body();
      if (i > 0) tierTimes.push(performance.now() - t0);
      sample();
    }
    const page = await portal.context.newPage();
    for (const p of [
      "/c/growbin-sandbox",
      "/c/growbin-sandbox/tiers/2",
      "/c/growbin-sandbox/nodes/worker-7",
      "/c/growbin-sandbox/argocd",
      "/c/growbin-sandbox/queues",
    ]) {
      await page.goto(`${portal.url}${p}`);
      await page.waitForLoadState("networkidle");
      sample();
    }
    // Leave the tier page open (polling every 10 s) while the background process's periodic jobs run at this size.
    await page.goto(`${portal.url}/c/growbin-sandbox/tiers/2`);
    // Meanwhile the background process reads the cluster every few seconds: each reading's duration.
    const readings = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      sample();
      if (i % 2 === 0) {
        const h = (await (
          await portal.context.request.get(`${portal.url}/api/clusters/growbin-sandbox/health`)
        ).json()) as { at: string; durationMs: number };
        readings.set(h.at, h.durationMs);
      }
    }
    await page.close();
    const t = Math.round(median(times));
    const tt = Math.round(median(tierTimes));
    const rd = Math.round(median([...readings.values()]));
    return [
      {
        name: `one health reading by the background process at 500 nodes (median of ${readings.size})`,
        value: rd,
        unit: "ms",
        target: "<= 1500",
        ok: rd <= 1500,
      },
      {
        name: "health route at 500 nodes / ~15,000 pods (median of 7)",
        value: t,
        unit: "ms",
        target: "<= 1500",
        ok: t <= 1500,
      },
      {
        name: "tier 2 route (496 nodes, first 500 of ~14,000 pods; median of 5)",
        value: tt,
        unit: "ms",
        target: "<= 1500",
        ok: tt <= 1500,
      },
      {
        name: "web server RSS (peak)",
        value: Math.round(peak.web),
        unit: "MB",
        target: "<= 300",
        ok: peak.web > 0 && peak.web <= 300,
      },
      {
        name: "worker RSS (peak)",
        value: Math.round(peak.worker),
        unit: "MB",
        target: "<= 300",
        ok: peak.worker > 0 && peak.worker <= 300,
      },
      {
        name: "worker's background process RSS (peak; health collector, queue sampler)",
        value: Math.round(peak.background),
        unit: "MB",
        target: "<= 300",
        ok: peak.background > 0 && peak.background <= 300,
      },
    ];
  } finally {
    await portal.stop();
  }
}

runWhenMain(__filename, benchPortalMemory);
