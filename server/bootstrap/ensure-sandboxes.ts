import "server-only";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { ClusterConfig } from "@/server/config/clusters";
import { CliError } from "@/server/cli/exit-codes";

// Sandbox clusters need their local API server running before health can be read or a run started.

const run = promisify(execFile);

/** Starts each configured sandbox's server unless it is already up. */
export async function ensureSandboxes(clusters: ClusterConfig[]): Promise<void> {
  for (const c of clusters) {
    if (c.kind !== "sandbox") continue;
    const args = ["infra/sandbox/cli.ts", "up", "--if-down", "--state", c.stateDir!, "--cluster", c.name];
    if (c.timeScale) args.push("--time-scale", String(c.timeScale));
    if (c.rabbitmq)
      args.push(
        "--amqp-url",
        c.rabbitmq.amqpUrl,
        "--rabbitmq-api",
        c.rabbitmq.managementUrl,
        ...(c.rabbitmq.vhost ? ["--rabbitmq-vhost", c.rabbitmq.vhost] : []),
      );
    try {
      await run(path.resolve("node_modules/.bin/tsx"), args, { timeout: 60_000 });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new CliError(
        `sandbox cluster ${c.name}: could not start: ${(e.stderr || e.message).trim().split("\n").pop()}`,
      );
    }
  }
}

/** Stops each configured sandbox's server (the portal started it; its state stays in its folder). */
export async function stopSandboxes(clusters: ClusterConfig[]): Promise<void> {
  await Promise.all(
    clusters.flatMap((c) =>
      c.kind === "sandbox"
        ? [
            run(path.resolve("node_modules/.bin/tsx"), ["infra/sandbox/cli.ts", "down", "--state", c.stateDir!], {
              timeout: 30_000,
            }).catch(() => undefined),
          ]
        : [],
    ),
  );
}
