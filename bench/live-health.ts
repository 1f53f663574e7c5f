// Benchmark: health followed live (issue 15, item 5). Against the running portal (npm start: web, worker and its
// background process, default intervals) with the overview open in Chromium:
// - time to detect: from a fault injected with the sandbox CLI (`npm run sandbox -- fault <kind>`: the time is
//   taken when the command returns, the fault then being in the cluster) to the overview's tier card showing the
//   changed tier; p95 over 20 faults, at 4 nodes and at 500 nodes / 15,000 pods (target <= 3 s);
// - steady-state CPU of the background process at 500 nodes with the page open (target <= 5 % of one core);
// - peak RSS of the web server and the background process at 500 nodes (target <= 300 MB each).
// Run alone: node --import tsx --conditions=react-server bench/live-health.ts
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { liveEndpoints, sandboxRequest } from "../infra/sandbox/cli-client";
import { runWhenMain, type BenchRow } from "./figures";
import { rssMb, startBenchPortal, type BenchPortal } from "./start-portal";

const C = "growbin-sandbox";
const FAULTS = 20;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** `npm run sandbox -- <args>` on the portal's sandbox, as on-call types it. */
const sandbox = (state: string, args: string[]) =>
  execFileSync("npm", ["run", "--silent", "sandbox", "--", ...args, "--state", state], { stdio: "ignore" });

/** GETs the sandbox's Kubernetes API with the portal's read-only token. */
function kube<T>(state: string, p: string): Promise<T> {
  const ep = liveEndpoints(state);
  const token = /token: (\S+)/.exec(fs.readFileSync(ep.kubeconfigs.reader, "utf8"))![1]!;
  return new Promise((resolve, reject) => {
    const req = sandboxRequest(
      ep,
      "GET",
      p,
      { authorization: `Bearer ${token}`, accept: "application/json" },
      (res) => {
        let s = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (s += c));
        res.on("end", () => resolve(JSON.parse(s) as T));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** CPU seconds (user + system) a process has used. */
function cpuSeconds(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const parts = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(parts[11]) + Number(parts[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

type Fault = { kind: string; args: string[] };

/** The faults, in turn: each is followed by a watch (pods, nodes) and shows on tier 2. */
async function faults(state: string): Promise<Fault[]> {
  const pods = (
    await kube<{ items: { metadata: { name: string } }[] }>(
      state,
      "/api/v1/namespaces/default/pods?labelSelector=app%3Dusers-service",
    )
  ).items.map((p) => `default/${p.metadata.name}`);
  const kinds: ((i: number) => Fault)[] = [
    (i) => ({ kind: "pod-crashloop", args: ["--pod", pods[i % pods.length]!] }),
    () => ({ kind: "node-notready", args: ["--node", "worker-1"] }),
    (i) => ({ kind: "pod-imagepull", args: ["--pod", pods[i % pods.length]!] }),
    (i) => ({ kind: "pod-oomkilled", args: ["--pod", pods[i % pods.length]!] }),
  ];
  return Array.from({ length: FAULTS }, (_, i) => kinds[i % kinds.length]!(i));
}

/** Injects each fault with the overview open and times the tier card's change; heals between faults. */
async function timeToDetect(portal: BenchPortal, state: string, sample: () => void): Promise<number[]> {
  const page = await portal.context.newPage();
  // The user's poll interval stays at its default (10 s): the stream, not the poll, must bring the change.
  await page.goto(`${portal.url}/c/${C}`);
  const card = '[data-testid="tier-card-2"]';
  await page.waitForFunction((s) => document.querySelector(s)?.getAttribute("data-status") === "ok", card, {
    timeout: 120_000,
  });
  const times: number[] = [];
  for (const f of await faults(state)) {
    sandbox(state, ["fault", f.kind, ...f.args]);
    const t0 = performance.now();
    await page.waitForFunction((s) => document.querySelector(s)?.getAttribute("data-status") !== "ok", card, {
      timeout: 60_000,
      polling: "raf",
    });
    times.push(performance.now() - t0);
    sample();
    sandbox(state, ["heal", "--all"]);
    await page.waitForFunction((s) => document.querySelector(s)?.getAttribute("data-status") === "ok", card, {
      timeout: 60_000,
    });
  }
  await page.close();
  return times;
}

export async function atSize(label: string, up: string[] | undefined, steady: boolean): Promise<BenchRow[]> {
  const portal = await startBenchPortal({ sandboxUp: up });
  try {
    const peak = { web: 0, background: 0 };
    const sample = () => {
      const p = portal.pids();
      peak.web = Math.max(peak.web, ...p.web.map(rssMb), 0);
      peak.background = Math.max(peak.background, ...p.background.map(rssMb), 0);
    };
    const state = portal.sandboxState;
    const times = await timeToDetect(portal, state, sample);
    const p95 = Math.round(pct(times, 95));
    const rows: BenchRow[] = [
      {
        name: `time to detect, ${label}, median of ${times.length} faults`,
        value: Math.round(pct(times, 50)),
        unit: "ms",
        target: "-",
        ok: true,
      },
      {
        name: `time to detect, ${label}, p95 of ${times.length} faults (pod crash loop, node NotReady, image pull, OOM kill)`,
        value: p95,
        unit: "ms",
        target: "<= 3000",
        ok: p95 <= 3000,
      },
    ];
    if (!steady) return rows;
    // Steady state: the overview open, nothing changing, for a minute after a settling pause.
    const page = await portal.context.newPage();
    await page.goto(`${portal.url}/c/${C}`);
    await new Promise((r) => setTimeout(r, 15_000));
    const bg = portal.pids().background[0];
    if (!bg) throw new Error("no background process found");
    const c0 = cpuSeconds(bg);
    const t0 = performance.now();
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      sample();
    }
    const cpu = Math.round(((cpuSeconds(bg) - c0) / ((performance.now() - t0) / 1000)) * 1000) / 10;
    await page.close();
    return [
      ...rows,
      {
        name: `background process CPU, ${label}, overview open, steady state (60 s)`,
        value: cpu,
        unit: "% of one core",
        target: "<= 5",
        ok: cpu <= 5,
      },
      {
        name: `web server RSS, ${label} (peak)`,
        value: Math.round(peak.web),
        unit: "MB",
        target: "<= 300",
        ok: peak.web > 0 && peak.web <= 300,
      },
      {
        name: `background process RSS, ${label} (peak)`,
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

/** Time to detect at both sizes; CPU and memory at 500 nodes. */
export async function benchLiveHealth(): Promise<BenchRow[]> {
  return [
    ...(await atSize("4 nodes", undefined, false)),
    ...(await atSize(
      "500 nodes / 15,000 pods",
      ["--provisioned", "--nodes", "500", "--pods-per-node", "30", "--time-scale", "0"],
      true,
    )),
  ];
}

runWhenMain(__filename, benchLiveHealth);
