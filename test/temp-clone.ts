// A copy of this checkout in a private (0700) folder, as a fresh clone in /root would be: tracked and
// new files copied, node_modules hard-linked (so nothing outside the folder is reachable through it),
// the generated Prisma client copied; no .data, no .next, no portal.config.json.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Creates the copy; `remove` deletes it. `dir` is the clone, inside the private `home`. */
export function tempClone() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "clone-home-"));
  fs.chmodSync(home, 0o700);
  const dir = path.join(home, "portal");
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const f of files) {
    if (!fs.existsSync(f)) continue; // deleted in the work tree
    fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
    fs.cpSync(f, path.join(dir, f), { verbatimSymlinks: true });
  }
  const cp = spawnSync("cp", ["-al", "node_modules", path.join(dir, "node_modules")]);
  if (cp.status !== 0) throw new Error(`cp -al node_modules: ${cp.stderr}`);
  fs.cpSync("server/generated", path.join(dir, "server/generated"), { recursive: true });
  return { home, dir, remove: () => fs.rmSync(home, { recursive: true, force: true }) };
}

/** Environment for a child in the clone: the test's own, minus every portal setting. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|AUTH_|PORTAL_(?!STEP_ENV$)|NODE_ENV$|VITEST)/.test(k)),
  );
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

/** Pids of live processes whose current folder is inside `dir` (what a start left running there). */
export function processesIn(dir: string): number[] {
  const out: number[] = [];
  for (const p of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${p}/cwd`);
      if (cwd === dir || cwd.startsWith(dir + "/")) out.push(Number(p));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}
