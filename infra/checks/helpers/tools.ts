import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../../..");

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  out: string; // stdout + stderr, for assertion messages
}

export function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): RunResult {
  const r = spawnSync(cmd, args, { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000, ...opts });
  const stdout = String(r.stdout ?? "");
  const stderr = String(r.stderr ?? "");
  return { code: r.status, stdout, stderr, out: `${stdout}\n${stderr}${r.error ? `\n${String(r.error)}` : ""}` };
}

export function hasTool(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).status === 0;
}

/**
 * CI installs the linters; a machine without them must fail loudly, not skip.
 */
export function requireTool(name: string, pkg = name): void {
  if (!hasTool(name)) {
    throw new Error(
      `${name} is not installed, so this check cannot run. Install it (Debian: apt-get install -y ${pkg}); CI installs it.`,
    );
  }
}
