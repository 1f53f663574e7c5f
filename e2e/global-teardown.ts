// Stops the portal started by global-setup (web, worker, embedded PostgreSQL) and its sandbox.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { STATE_FILE } from "./global-setup";

export default async function globalTeardown() {
  if (!fs.existsSync(STATE_FILE)) return;
  const state = JSON.parse(fs.readFileSync(STATE_FILE, "utf8")) as { pid: number; sandboxState: string };
  try {
    process.kill(state.pid, "SIGTERM");
  } catch {
    // already gone
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(state.pid, 0);
      await new Promise((r) => setTimeout(r, 100));
    } catch {
      break;
    }
  }
  try {
    execFileSync(process.execPath, ["--import", "tsx", "infra/sandbox/cli.ts", "down", "--state", state.sandboxState], {
      stdio: "ignore",
    });
  } catch {
    // nothing running
  }
  fs.rmSync(STATE_FILE, { force: true });
}
