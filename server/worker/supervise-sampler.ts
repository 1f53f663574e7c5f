import "server-only";
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { log } from "@/server/log";

// Keeps the queue-sampler process running beside the worker, restarting it (with a pause) if it dies.

/** Starts the sampler child; `stop` ends it. */
export function superviseSampler(databaseUrl: string): { stop(): Promise<void> } {
  let child: ChildProcess | null = null;
  let stopping = false;
  const start = () => {
    child = fork(path.resolve("server/worker/queue-sampler-process.ts"), [], {
      execArgv: ["--import", "tsx", "--conditions=react-server"],
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.on("exit", (code, signal) => {
      if (stopping) return;
      log.warn("queue sampler exited; restarting in 15 s", { code, signal });
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
