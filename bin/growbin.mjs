#!/usr/bin/env node
// growbin: the portal's CLI with nothing but its own output on stdout (`npm run cli` prints npm's
// banner there unless given -s), so `growbin health --cluster X --json | jq` works. It runs
// server/cli/main.ts from the checkout's root, as `npm run` does, whatever the current folder.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const child = spawn(
  process.execPath,
  ["--import", "tsx", "--conditions=react-server", path.join(root, "server/cli/main.ts"), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: "inherit",
    // The AWS SDK's 7-line Node-version notice is about the SDK's own future releases, not the
    // operator's command; the CLI prints a one-line version of it once per data folder instead.
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
);
// Ctrl-C reaches the CLI directly (same process group); this wrapper only waits for its verdict.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => undefined);
child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 1)));
