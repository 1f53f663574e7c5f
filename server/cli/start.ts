// npm start - the one command: database (embedded when DATABASE_URL is unset), migrations, clusters,
// first admin, sandbox, then the web server and a worker as children. Ctrl-C stops them all, and so
// does a start that fails half-way: it never leaves a sandbox or a database running behind it.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env, inheritedEnvironment } from "@/server/env";
import { loadPortalClusters } from "@/server/config/load-clusters";
import { openPortal } from "@/server/bootstrap/open-portal";
import { db } from "@/server/db";
import { ensureFirstAdmin } from "@/server/bootstrap/ensure-admin";
import { ensureSandboxes, stopSandboxes } from "@/server/bootstrap/ensure-sandboxes";
import { runMain } from "@/server/cli/run-main";
import { CliError } from "@/server/cli/exit-codes";
import { leanEnvironment } from "@/server/lean-memory";

const dev = process.argv.includes("--dev");
const bin = (name: string) => path.resolve("node_modules/.bin", name);

/** Thrown inside start-up when Ctrl-C arrives before it finished; not an error. */
class StopRequested extends Error {}

function authSecret(dataDir: string): string {
  const configured = env().AUTH_SECRET;
  if (configured) return configured;
  // Generated once per data folder, so sessions survive restarts; set AUTH_SECRET when running several web servers.
  const file = path.join(dataDir, "auth-secret");
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(48).toString("base64url"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

function waitExit(c: ChildProcess): Promise<number> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve(c.exitCode ?? 1);
  return new Promise((resolve) => c.once("exit", (code) => resolve(code ?? 1)));
}

runMain(async () => {
  const e = env();
  const dataDir = path.resolve(e.PORTAL_DATA_DIR);
  // Everything that can fail without side effects comes first: nothing runs yet to clean up.
  const clusters = loadPortalClusters();
  let secret: string;
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    secret = authSecret(dataDir);
  } catch (err) {
    throw new CliError(
      `cannot use the data folder ${dataDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; set PORTAL_DATA_DIR to a folder you can write`,
    );
  }

  // What this start has set up, undone in reverse order on Ctrl-C, on a child's exit and on failure.
  const undo: (() => Promise<unknown>)[] = [];
  const children: ChildProcess[] = [];
  let phase: "starting" | "running" | "stopping" = "starting";
  let stopRequested = false;
  const teardown = async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
    await Promise.all(children.map(waitExit));
    for (const step of undo.splice(0).reverse()) await step().catch(() => undefined);
  };
  const stop = async (code: number) => {
    if (phase !== "running") return;
    phase = "stopping";
    await teardown();
    process.exit(code);
  };
  const onSignal = () => {
    // During start-up the next step notices and unwinds what is already up; afterwards, stop at once.
    stopRequested = true;
    void stop(0);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const check = () => {
    if (stopRequested) throw new StopRequested();
  };

  try {
    const database = await openPortal();
    undo.push(() => database.close());
    check();
    const localLogin = e.PORTAL_LOCAL_LOGIN ?? database.embedded;
    if (localLogin) {
      const admin = await ensureFirstAdmin(db());
      if (admin) {
        // Printed once, here, and never stored in plain text: note it now.
        console.log(
          `\n  First start: created user "${admin.username}" with password ${admin.password}\n  (shown only this once; it is stored as a hash)\n`,
        );
      }
    }
    check();
    // Registered before the start, so a sandbox that came up half-way is stopped too.
    undo.push(() => stopSandboxes(clusters));
    await ensureSandboxes(clusters);
    check();

    const childEnv = {
      ...inheritedEnvironment(),
      DATABASE_URL: database.url,
      AUTH_SECRET: secret,
      PORTAL_LOCAL_LOGIN: String(localLogin),
      NEXT_TELEMETRY_DISABLED: "1",
    };
    if (!dev && !fs.existsSync(".next/BUILD_ID")) {
      console.log("No production build yet: running `next build` once (a few minutes on 2 cores)...");
      const build = spawn(bin("next"), ["build"], { stdio: "inherit", env: childEnv });
      children.push(build);
      const code = await waitExit(build);
      children.pop();
      check();
      if (code !== 0) throw new CliError("next build failed (its output is above); fix it, then npm start again");
    }
    const web = spawn(bin("next"), [dev ? "dev" : "start", "-p", String(e.PORT)], {
      stdio: "inherit",
      env: dev ? childEnv : leanEnvironment(childEnv, { nodeOptions: true }),
    });
    // node --import tsx keeps the worker one process, so signals reach it directly.
    const worker = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/worker/main.ts"], {
      stdio: "inherit",
      env: childEnv,
    });
    children.push(web, worker);
    // A child ended by Ctrl-C (the terminal signals the whole group) is a normal stop, whichever
    // of its exit and our own SIGINT this process sees first.
    for (const c of children)
      c.on(
        "exit",
        (code, signal) => void stop(signal === "SIGINT" || signal === "SIGTERM" || code === 130 ? 0 : (code ?? 1)),
      );
    phase = "running";
    check();
  } catch (err) {
    phase = "stopping";
    await teardown();
    if (err instanceof StopRequested) return;
    throw err;
  }
  console.log(
    `Growbin Ops Portal on http://localhost:${e.PORT} (${e.DATABASE_URL ? "DATABASE_URL" : "embedded PostgreSQL"})`,
  );
  await new Promise(() => undefined);
});
