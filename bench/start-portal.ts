// Starts the portal for a benchmark as a new user would (npm start: embedded database, one sandbox
// cluster), signs the admin in through Chromium, and stops everything afterwards.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const sandboxCli = (args: string[]) =>
  execFileSync(process.execPath, ["--import", "tsx", "infra/sandbox/cli.ts", ...args], { stdio: "ignore" });

export type BenchPortal = {
  url: string;
  sandboxState: string;
  context: BrowserContext;
  pids: () => { web: number[]; worker: number[]; background: number[] };
  stop(): Promise<void>;
};

/** `sandboxUp` args are passed to `sandbox up` before the portal starts (e.g. scale mode); else it is provisioned after. */
export async function startBenchPortal(opts: { sandboxUp?: string[] } = {}): Promise<BenchPortal> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-bench-"));
  fs.chmodSync(dir, 0o711);
  const state = path.join(dir, "sandbox");
  const config = path.join(dir, "portal.config.json");
  fs.writeFileSync(
    config,
    JSON.stringify({ clusters: [{ name: "growbin-sandbox", kind: "sandbox", stateDir: state, timeScale: 0.02 }] }),
  );
  if (opts.sandboxUp) sandboxCli(["up", "--state", state, "--cluster", "growbin-sandbox", ...opts.sandboxUp]);
  const port = 3500 + Math.floor(Math.random() * 400);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    PORTAL_DATA_DIR: dir,
    PORTAL_CONFIG: config,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  delete env.DATABASE_URL;
  const portal = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/cli/start.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  portal.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  portal.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  let browser: Browser | null = null;
  const stop = async () => {
    await browser?.close();
    try {
      process.kill(-portal.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 3_000));
    try {
      sandboxCli(["down", "--state", state]);
    } catch {
      // not running
    }
  };
  try {
    const url = `http://localhost:${port}`;
    const until = Date.now() + 600_000;
    while (
      !out.includes("Growbin Ops Portal on") ||
      !(await fetch(`${url}/signin`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > until || portal.exitCode !== null)
        throw new Error(`the portal did not start:\n${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const password = /created user "admin" with password (\S+)/.exec(out)![1]!;
    if (!opts.sandboxUp) sandboxCli(["provision", "--state", state]);
    browser = await chromium.launch({
      executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ARGS,
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/signin`);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/c\//);
    await page.close();
    const pids = () => {
      const found = { web: [] as number[], worker: [] as number[], background: [] as number[] };
      for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
        let cmd = "";
        try {
          cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
        } catch {
          continue;
        }
        if (!cmd.includes(dir) && !isChildOf(Number(pid), portal.pid!)) continue;
        if (/next-server|next\/dist\/bin\/next start|\.bin\/next start/.test(cmd)) found.web.push(Number(pid));
        else if (cmd.includes("server/worker/main.ts")) found.worker.push(Number(pid));
        else if (cmd.includes("background-process.ts")) found.background.push(Number(pid));
      }
      return found;
    };
    return { url, sandboxState: state, context, pids, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function isChildOf(pid: number, ancestor: number): boolean {
  for (let p = pid, i = 0; p > 1 && i < 20; i++) {
    if (p === ancestor) return true;
    try {
      p = Number(/PPid:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"))![1]);
    } catch {
      return false;
    }
  }
  return false;
}

/** Resident memory of a process, in MB (0 when it is gone). */
export function rssMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
  } catch {
    return 0;
  }
}
