// Set-up as a newcomer meets it: a fresh clone in a private folder, `npm start` and the CLI as real
// child processes, assertions on exit codes, output, and on what is left running afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { cleanEnv, processesIn, tempClone } from "@/test/temp-clone";
import { throwawayDatabase } from "@/test/throwaway-db";
import { waitFor } from "@/test/run-fixtures";

type Result = { code: number | null; stdout: string; stderr: string };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function launch(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; result: Promise<Result>; out: () => string } {
  // detached: its own process group, so the test can press Ctrl-C on it as a terminal would.
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", ...args], {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<Result>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, result, out: () => stdout + stderr };
}

const NO_STACK = /^\s+at .+\(.+:\d+:\d+\)$/m;

/** Replaces the clone's `next` with a stand-in: a production build takes minutes, and the web server is not under test here. */
function fakeNext(dir: string, script: string) {
  const bin = path.join(dir, "node_modules/.bin/next");
  fs.rmSync(bin);
  fs.writeFileSync(bin, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  fs.mkdirSync(path.join(dir, ".next"), { recursive: true });
  fs.writeFileSync(path.join(dir, ".next/BUILD_ID"), "fake");
}

/** A live process; a zombie (exited, not yet reaped by an init that may never reap it) counts as gone. */
function alive(pid: number) {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return false;
  }
}

function relocatedDataDir(clone: string): string {
  const real = fs.realpathSync(path.join(clone, ".data"));
  return `/var/lib/growbin-portal/data-${crypto.createHash("sha256").update(real).digest("hex").slice(0, 16)}`;
}

describe("set-up from a fresh clone", () => {
  test.skipIf(process.getuid?.() !== 0)(
    "as root, in a 0700 folder the postgres user cannot enter, the first CLI command (health) starts, migrates and uses the embedded database; nothing is left running",
    async () => {
      const clone = tempClone();
      cleanups.push(() => clone.remove());
      cleanups.push(() => fs.rmSync(relocatedDataDir(clone.dir), { recursive: true, force: true }));
      expect(fs.statSync(clone.home).mode & 0o777).toBe(0o700);

      const health = await launch(
        clone.dir,
        ["server/cli/main.ts", "health", "--cluster", "growbin-sandbox", "--json"],
        cleanEnv(),
      ).result;
      expect(health.stderr).not.toMatch(/EACCES|does not exist|database connection lost/);
      expect(health.stderr).not.toMatch(NO_STACK);
      // The sandbox is not up, so the tiers are not ok: the exit code says so, and stdout is pure JSON.
      expect([3, 4]).toContain(health.code);
      expect(JSON.parse(health.stdout)).toMatchObject({ cluster: "growbin-sandbox" });
      expect(health.stderr).toMatch(
        /the postgres user cannot enter .*\.data, so the embedded database lives in \/var\/lib\/growbin-portal\/data-/,
      );

      const user = await launch(
        clone.dir,
        ["server/cli/main.ts", "user", "add", "alice", "--role", "viewer"],
        cleanEnv(),
      ).result;
      expect(user).toMatchObject({ code: 0 });
      expect(user.stdout).toMatch(/^created alice \(viewer\); password: \S+/);
      expect(user.stderr).toBe("");
      expect(processesIn(clone.dir)).toEqual([]);
    },
    120_000,
  );

  test("with DATABASE_URL, a start that fails half-way (the web server exits) stops the sandbox it launched and leaves nothing running", async () => {
    const t = await throwawayDatabase();
    cleanups.push(() => t.drop());
    const clone = tempClone();
    cleanups.push(() => clone.remove());
    fakeNext(clone.dir, "echo 'web server: cannot bind' >&2; exit 3");
    const start = launch(clone.dir, ["server/cli/start.ts"], cleanEnv({ DATABASE_URL: t.url }));
    const r = await start.result;
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(/ENOENT|auth-secret/);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(fs.statSync(path.join(clone.dir, ".data/auth-secret")).mode & 0o077).toBe(0);
    expect(fs.existsSync(path.join(clone.dir, ".data/sandbox/admin.conf"))).toBe(true); // it was launched
    expect(processesIn(clone.dir)).toEqual([]);
  }, 120_000);

  test("Ctrl-C stops everything start launched (web, worker, embedded database) and the sandbox it adopted from an earlier start", async () => {
    const clone = tempClone();
    cleanups.push(() => clone.remove());
    if (process.getuid?.() === 0)
      cleanups.push(() => fs.rmSync(relocatedDataDir(clone.dir), { recursive: true, force: true }));
    fakeNext(clone.dir, 'echo "web ready $$"; exec sleep 600');
    // A sandbox left running by an earlier, crashed start.
    const up = launch(
      clone.dir,
      ["infra/sandbox/cli.ts", "up", "--state", path.join(clone.dir, ".data/sandbox"), "--cluster", "growbin-sandbox"],
      cleanEnv(),
    );
    expect((await up.result).code).toBe(0);
    const sandboxPid = Number(fs.readFileSync(path.join(clone.dir, ".data/sandbox/server.pid"), "utf8"));
    expect(alive(sandboxPid)).toBe(true);

    const start = launch(clone.dir, ["server/cli/start.ts"], cleanEnv({ PORT: "3107" }));
    cleanups.push(() => {
      for (const pid of processesIn(clone.dir)) process.kill(pid, "SIGKILL");
    });
    await waitFor(
      async () => /Growbin Ops Portal on http:\/\/localhost:3107/.test(start.out()) && /web ready/.test(start.out()),
      "the portal to start",
      90_000,
    );
    expect(processesIn(clone.dir).length).toBeGreaterThanOrEqual(4); // start, web, worker, database (and the sandbox)
    process.kill(-start.child.pid!, "SIGINT"); // the terminal's Ctrl-C goes to the whole foreground group
    const r = await start.result;
    expect(r.stderr).not.toMatch(/error|warn/i);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(r.stderr).not.toMatch(/database connection lost/);
    expect(alive(sandboxPid)).toBe(false);
    expect(processesIn(clone.dir)).toEqual([]);
  }, 150_000);
});
