import "server-only";
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { log } from "@/server/log";
import { inheritedEnvironment } from "@/server/env";
import { LEAN_V8_FLAGS, leanEnvironment } from "@/server/lean-memory";

// Keeps the background-jobs process running beside the worker, restarting it (with a pause) if it dies.

/** Starts the background child; `stop` ends it. */
export function superviseBackground(databaseUrl: string): { stop(): Promise<void> } {
  let child: ChildProcess | null = null;
  let stopping = false;
  const start = () => {
    child = fork(path.resolve("server/worker/background-process.ts"), [], {
      execArgv: ["--import", "tsx", "--conditions=react-server", ...LEAN_V8_FLAGS],
      env: leanEnvironment(
        { ...inheritedEnvironment(), DATABASE_URL: databaseUrl, PORTAL_WORKER_PID: String(process.pid) },
        { nodeOptions: false },
      ),
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.on("exit", (code, signal) => {
      if (stopping) return;
      log.warn("background jobs process exited; restarting in 15 s", { code, signal });
      setTimeout(start, 15_000).unref();
    });
  };
  start();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
