// Entry of the detached server process that `up` starts; its options come as one JSON argument.
import fs from "node:fs";
import path from "node:path";
import { startServer } from "./server";
import type { SandboxOptions } from "./types";

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? "{}") as SandboxOptions;
  try {
    const s = await startServer(opts);
    console.log(`sandbox: server pid ${process.pid} listening on ${s.url}`);
    const stop = () => void s.stop();
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    await s.closed;
    console.log("sandbox: server stopped");
    process.exit(0);
  } catch (e) {
    // The CLI waiting on `up` reads this file to say why the start failed.
    fs.writeFileSync(path.join(opts.stateDir, "server.error"), (e as Error).message);
    console.error(`sandbox: server failed to start: ${(e as Error).message}`);
    process.exit(1);
  }
}

void main();
