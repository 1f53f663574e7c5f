import "server-only";
// npm run -s cli -- rebuild|provision|teardown|verify|reset-node --cluster NAME [--node N] [--reason TEXT] [--yes]
// Queues a run through the same rules as the web (allow-lists, one active run per cluster), streams its
// log here, and exits 0 only if it succeeded. With no live worker, this process claims and runs it itself.
import os from "node:os";
import readline from "node:readline/promises";
import { env } from "@/server/env";
import type { ClusterConfig } from "@/server/config/clusters";
import { openPortal } from "@/server/bootstrap/open-portal";
import { AppError } from "@/server/errors";
import { PIPELINES, isPipeline, pipeline } from "@/server/runs/pipelines";
import { startRun, startRunInput } from "@/server/runs/start-run";
import { cancelRun, forceKillRun } from "@/server/runs/cancel-run";
import { recordAudit } from "@/server/audit/record-audit";
import { pgPool } from "@/server/db/pool";
import { Worker, liveWorkerExists } from "@/server/worker/worker";
import { followRun } from "@/server/cli/follow-run";
import { UsageError, parseCommandLine } from "@/server/cli/usage-error";
import { EXIT } from "@/server/cli/exit-codes";
import { stripTerminalEscapes } from "@/server/cli/terminal-text";

const USAGE = `usage: npm run -s cli -- <${PIPELINES.join("|")}> --cluster NAME [--node NODE] [--reason TEXT] [--yes]`;

/** Runs a pipeline from the terminal; sets process.exitCode to 0 only when the run succeeded. */
export async function runCommand(argv: string[]): Promise<void> {
  const { positionals, values } = parseCommandLine(argv, USAGE, {
    cluster: { type: "string" },
    node: { type: "string" },
    reason: { type: "string" },
    yes: { type: "boolean", default: false },
    help: { type: "boolean" },
  }) as {
    positionals: string[];
    values: { cluster?: string; node?: string; reason?: string; yes: boolean; help?: boolean };
  };
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const name = positionals[0];
  if (positionals.length !== 1 || !isPipeline(name))
    throw new UsageError(`${USAGE}\n(unknown or missing pipeline "${positionals.join(" ")}")`);
  const actor = `cli:${os.userInfo().username}`;
  const input = startRunInput.safeParse({
    cluster: values.cluster,
    pipeline: name,
    node: values.node,
    reason: values.reason ?? `started from the command line by ${actor}`,
  });
  if (!input.success) {
    const issue = input.error.issues[0]!;
    await recordRefusal(actor, name, values.cluster, issue.message).catch(() => undefined);
    throw new UsageError(`--${issue.path.join(".") || "input"}: ${issue.message}\n${USAGE}`);
  }
  const e = env();
  const portal = await openPortal({ sweep: true });
  try {
    for (const id of portal.swept)
      console.error(`run ${id} was interrupted: its process stopped heartbeating, so its cluster is free again`);
    requireConfiguredCluster(portal.clusters, input.data.cluster);
    const def = pipeline(name);
    let confirm: string | undefined;
    if (def.destructive) confirm = values.yes ? input.data.cluster : await askForName(def.title, input.data.cluster);
    let runId: string;
    try {
      ({ runId } = await startRun({ ...input.data, confirm }, actor));
    } catch (err) {
      if (err instanceof AppError) await recordRefusal(actor, name, input.data.cluster, err.message);
      throw err;
    }
    await recordAudit({
      actor,
      action: "run.start",
      target: `${input.data.cluster}/${name}`,
      outcome: "success",
      detail: { runId },
    });
    console.error(`queued run ${runId}: ${def.title} on ${input.data.cluster}`);
    // A worker that only this run may claim, started unless a live worker takes the run first (a
    // worker survives the terminal closing). Asking once "is a worker alive?" was not enough: a
    // worker killed a moment ago still looks alive, and the run waited for it forever. The claim is
    // one SKIP LOCKED update, so exactly one worker wins.
    const pool = pgPool(portal.url);
    const claimed = async () =>
      (await pool.query<{ workerId: string | null }>(`SELECT "workerId" FROM "Run" WHERE id = $1`, [runId])).rows[0]
        ?.workerId ?? null;
    if (await liveWorkerExists(pool, e.PORTAL_STALE_AFTER_MS)) {
      const until = Date.now() + Math.max(2_000, 3 * e.PORTAL_HEARTBEAT_MS);
      while (!(await claimed()) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    }
    let worker: Worker | null = null;
    if (!(await claimed())) {
      worker = new Worker({
        databaseUrl: portal.url,
        heartbeatMs: e.PORTAL_HEARTBEAT_MS,
        staleAfterMs: e.PORTAL_STALE_AFTER_MS,
        cancelGraceMs: e.PORTAL_CANCEL_GRACE_MS,
        capBytes: e.PORTAL_LOG_CAP_BYTES,
        scriptsDir: e.PORTAL_SCRIPTS_DIR,
        onlyRunId: runId,
      });
      await worker.start();
    }
    const claimedBy = await claimed();
    if (worker && claimedBy === worker.id)
      console.error("no worker claimed it: this terminal runs the run itself (Ctrl-C cancels it)");
    else if (claimedBy) console.error(`worker ${claimedBy} runs it (Ctrl-C cancels it)`);
    const ctrlC = onCtrlC(runId, actor, e.PORTAL_CANCEL_GRACE_MS);
    const status = await followRun(portal.url, runId, lineWriter(process.stdout)).finally(() => ctrlC.dispose());
    // The run is recorded as ended; only now may this process (and a database it owns) stop.
    if (worker) await worker.stop(0);
    console.error(`run ${runId} ${status}`);
    process.exitCode =
      status === "succeeded" ? EXIT.ok : ctrlC.pressed && status === "cancelled" ? EXIT.interrupted : EXIT.failed;
  } finally {
    await portal.close();
  }
}

/** Prints log lines; on a terminal, without the escape sequences a step could use to rewrite it. */
export function lineWriter(out: NodeJS.WriteStream): (line: string) => void {
  return (line) => void out.write((out.isTTY ? stripTerminalEscapes(line) : line) + "\n");
}

function requireConfiguredCluster(clusters: ClusterConfig[], name: string): void {
  if (!clusters.some((c) => c.name === name)) {
    throw new UsageError(
      `unknown cluster "${name}"; configured: ${clusters.map((c) => c.name).join(", ") || "none"} (see portal.config.json)`,
    );
  }
}

/**
 * Ctrl-C cancels the run and keeps this process alive until the run is recorded as ended: the
 * cancel ladder (SIGINT to the step's group, the grace period, SIGKILL) runs to its end. A second
 * Ctrl-C skips the grace period (force-kill); the run is still recorded before the CLI exits.
 */
function onCtrlC(runId: string, actor: string, graceMs: number) {
  let presses = 0;
  const handler = () => {
    presses++;
    if (presses === 1) {
      console.error(
        `\ncancelling run ${runId}: SIGINT to its step now, SIGKILL after ${Math.round(graceMs / 1000)} s; waiting until it is recorded (Ctrl-C again to kill the step now)`,
      );
      void cancelRun(runId, actor).catch((err: unknown) => console.error(`cancel failed: ${(err as Error).message}`));
    } else if (presses === 2) {
      console.error("killing the step now (SIGKILL); waiting until the run is recorded");
      void forceKillRun(runId).catch(() => undefined);
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    get pressed() {
      return presses > 0;
    },
    dispose: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}

async function recordRefusal(actor: string, pipelineName: string, cluster: string | undefined, reason: string) {
  if (!process.exitCode)
    await recordAudit({
      actor,
      action: "run.start",
      target: `${cluster ?? "?"}/${pipelineName}`,
      outcome: "refused",
      detail: { reason },
    });
}

async function askForName(title: string, cluster: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError(`${title} is destructive: pass --yes to confirm from a script.`);
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${title} is destructive. Type the cluster's name (${cluster}) to confirm: `);
  rl.close();
  return answer.trim();
}
