// Benchmark: the Overview page of a production build in Chromium: largest contentful paint and the
// gzipped client JavaScript it loads (targets from the tier-health issue: LCP <= 1 s, JS <= 250 kB).
// Starts the portal as a new user would (embedded database, sandbox cluster), provisions the sandbox.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";

type Row = { name: string; value: number; unit: string; target: string; ok: boolean };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Measures the overview page; needs `npm run build` first (the launcher builds once if there is none). */
export async function benchOverviewPage(): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "overview-bench-"));
  fs.chmodSync(dir, 0o711);
  const config = path.join(dir, "portal.config.json");
  fs.writeFileSync(config, JSON.stringify({ clusters: [{ name: "growbin-sandbox", kind: "sandbox", stateDir: path.join(dir, "sandbox"), timeScale: 0.02 }] }));
  const port = 3500 + Math.floor(Math.random() * 400);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), PORTAL_DATA_DIR: dir, PORTAL_CONFIG: config, NEXT_TELEMETRY_DISABLED: "1" };
  delete env.DATABASE_URL;
  const portal = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/cli/start.ts"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  portal.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  portal.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  try {
    const until = Date.now() + 600_000;
    while (!out.includes("Growbin Ops Portal on") || !(await fetch(`http://localhost:${port}/signin`).then((r) => r.ok, () => false))) {
      if (Date.now() > until || portal.exitCode !== null) throw new Error(`the portal did not start:\n${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const password = /created user "admin" with password (\S+)/.exec(out)![1]!;
    execFileSync(process.execPath, ["--import", "tsx", "infra/sandbox/cli.ts", "provision", "--state", path.join(dir, "sandbox")], { stdio: "ignore" });
    const browser = await chromium.launch({ executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium", args: ARGS });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://localhost:${port}/signin`);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/c\//);
    const lcps: number[] = [];
    const jsKb: number[] = [];
    for (let i = 0; i < 6; i++) {
      const fresh = await context.newPage(); // a new page per load, so nothing is kept in memory between loads
      const sizes: Promise<number>[] = [];
      fresh.on("response", (res) => {
        // The gzipped size of each script, as the budget counts it (the server may send it uncompressed).
        if (res.request().resourceType() === "script") sizes.push(res.body().then((b) => gzipSync(b).length, () => 0));
      });
      await fresh.goto(`http://localhost:${port}/c/growbin-sandbox`, { waitUntil: "networkidle" });
      const lcp = await fresh.evaluate(
        () =>
          new Promise<number>((resolve) => {
            new PerformanceObserver((list) => {
              const entries = list.getEntries();
              resolve(entries[entries.length - 1]!.startTime);
            }).observe({ type: "largest-contentful-paint", buffered: true });
          }),
      );
      if (i > 0) lcps.push(lcp); // the first load warms the server's caches
      jsKb.push((await Promise.all(sizes)).reduce((a, b) => a + b, 0) / 1024);
      await fresh.close();
    }
    await browser.close();
    const lcp = Math.round(median(lcps));
    const js = Math.round(median(jsKb));
    return [
      { name: "Overview page, largest contentful paint (median of 5 loads)", value: lcp, unit: "ms", target: "<= 1000", ok: lcp <= 1000 },
      { name: "Overview page, client JavaScript (gzipped)", value: js, unit: "kB", target: "<= 250", ok: js <= 250 },
    ];
  } finally {
    try {
      process.kill(-portal.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 3_000));
    try {
      execFileSync(process.execPath, ["--import", "tsx", "infra/sandbox/cli.ts", "down", "--state", path.join(dir, "sandbox")], { stdio: "ignore" });
    } catch {
      // not running
    }
  }
}

if (process.argv[1]?.endsWith("overview-page.ts")) {
  void benchOverviewPage().then((rows) => {
    for (const r of rows) console.log(`${r.ok ? "ok  " : "MISS"}  ${r.name}: ${r.value} ${r.unit} (target ${r.target})`);
    process.exit(0);
  });
}
