import "server-only";
import { spawn } from "node:child_process";
import { LineSplitter } from "@/server/runs/line-splitter";

// Runs one step as a child process in its own process group (detached => setsid), so a cancel reaches
// Terraform and everything it started, and nothing outlives the step.

export type StepResult = { exitCode: number | null; signal: NodeJS.Signals | null };

export type StepProcess = {
  pgid: number;
  /** Sends a signal to the whole process group; false when the group is already gone. */
  signal(sig: NodeJS.Signals): boolean;
  done: Promise<StepResult>;
};

/** Sends `sig` to process group `pgid`; false if no process of the group is left. */
export function signalGroup(pgid: number, sig: NodeJS.Signals | 0): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false; // never signal init or "every process"
  try {
    process.kill(-pgid, sig);
    return true;
  } catch {
    return false;
  }
}

/**
 * Spawns `command args` (an argument array: never a shell string) and feeds each output line to
 * `onLine`. When `onLine` returns false the stream is paused until `resume` is called back.
 */
export function startStep(opts: {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  onLine: (stream: "stdout" | "stderr", text: string) => boolean;
  waitForRoom: () => Promise<void>;
}): StepProcess {
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pgid = child.pid;
  const streams: [NodeJS.ReadableStream, "stdout" | "stderr"][] = [
    [child.stdout!, "stdout"],
    [child.stderr!, "stderr"],
  ];
  const ended = streams.map(
    ([stream, name]) =>
      new Promise<void>((resolve) => {
        const splitter = new LineSplitter();
        stream.on("data", (chunk: Buffer) => {
          let room = true;
          for (const line of splitter.push(chunk)) room = opts.onLine(name, line) && room;
          if (!room) {
            // Backpressure: stop reading; the child blocks on a full pipe, so memory stays bounded.
            stream.pause();
            void opts.waitForRoom().then(() => stream.resume());
          }
        });
        stream.on("end", () => {
          for (const line of splitter.end()) opts.onLine(name, line);
          resolve();
        });
        stream.on("error", () => resolve());
      }),
  );
  const exited = new Promise<StepResult>((resolve) => {
    child.on("error", (err) => {
      opts.onLine("stderr", `could not start ${opts.command}: ${err.message}`);
      resolve({ exitCode: 127, signal: null });
    });
    child.on("exit", (code, signal) => resolve({ exitCode: code, signal }));
  });
  const done = exited.then(async (result) => {
    // A background grandchild may still hold the pipes open: give the output a moment, then end the group.
    await Promise.race([Promise.all(ended), new Promise((r) => setTimeout(r, 2_000))]);
    if (pgid) signalGroup(pgid, "SIGKILL");
    child.stdout?.destroy();
    child.stderr?.destroy();
    return result;
  });
  return { pgid: pgid ?? -1, signal: (sig) => (pgid ? signalGroup(pgid, sig) : false), done };
}
