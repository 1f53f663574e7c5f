import "server-only";
// npm run cli -- rebuild|provision|teardown|verify|reset-node --cluster NAME [--node N] [--reason TEXT] [--yes]
// Queues a run through the same rules as the web (allow-lists, one active run per cluster), streams its
// log here, and exits 0 only if it succeeded. With no live worker, this process claims and runs it itself.
import os from "node:os";
import readline from "node:readline/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { env } from "@/server/env";
import { loadClusterConfig } from "@/server/config/clusters";
import { resolveDatabase } from "@/server/db/resolve-database";
import { db } from "@/server/db";
import { syncClusters } from "@/server/bootstrap/sync-clusters";
import { AppError } from "@/server/errors";
import { PIPELINES, isPipeline, pipeline } from "@/server/runs/pipelines";
import { startRun, startRunInput } from "@/server/runs/start-run";
import { cancelRun } from "@/server/runs/cancel-run";
import { recordAudit } from "@/server/audit/record-audit";
import { Worker, liveWorkerExists } from "@/server/worker/worker";
import { followRun } from "@/server/cli/follow-run";
import { UsageError } from "@/server/cli/usage-error";

const USAGE = `usage: npm run cli -- <${PIPELINES.join("|")}> --cluster NAME [--node NODE] [--reason TEXT] [--yes]`;

/** Runs a pipeline from the terminal; sets process.exitCode to 0 only when the run succeeded. */
export async function runCommand(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { cluster: { type: "string" }, node: { type: "string" }, reason: { type: "string" }, yes: { type: "boolean", default: false }, help: { type: "boolean" } },
  }) as { positionals: string[]; values: { cluster?: string; node?: string; reason?: string; yes: boolean; help?: boolean } };
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const name = positionals[0];
  if (positionals.length !== 1 || !isPipeline(name)) throw new UsageError(`${USAGE}\n(unknown or missing pipeline "${positionals.join(" ")}")`);
  const actor = `cli:${os.userInfo().username}`;
  const input = startRunInput.safeParse({ cluster: values.cluster, pipeline: name, node: values.node, reason: values.reason ?? `started from the command line by ${actor}` });
  if (!input.success) {
    const issue = input.error.issues[0]!;
    await recordRefusal(actor, name, values.cluster, issue.message).catch(() => undefined);
    throw new UsageError(`--${issue.path.join(".") || "input"}: ${issue.message}\n${USAGE}`);
  }
  const e = env();
  const database = await resolveDatabase();
  try {
    await syncClusters(db(), loadClusterConfig(e.PORTAL_CONFIG, e.PORTAL_DATA_DIR));
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
    await recordAudit({ actor, action: "run.start", target: `${input.data.cluster}/${name}`, outcome: "success", detail: { runId } });
    console.error(`queued run ${runId}: ${def.title} on ${input.data.cluster}`);
    const probe = new pg.Client({ connectionString: database.url });
    await probe.connect();
    const workerAlive = await liveWorkerExists(probe, e.PORTAL_STALE_AFTER_MS);
    await probe.end();
    let worker: Worker | null = null;
    if (!workerAlive) {
      console.error("no worker is running: this terminal runs the run itself (Ctrl-C cancels it)");
      worker = new Worker({ databaseUrl: database.url, heartbeatMs: e.PORTAL_HEARTBEAT_MS, staleAfterMs: e.PORTAL_STALE_AFTER_MS, cancelGraceMs: e.PORTAL_CANCEL_GRACE_MS, capBytes: e.PORTAL_LOG_CAP_BYTES, scriptsDir: e.PORTAL_SCRIPTS_DIR, onlyRunId: runId });
      await worker.start();
    }
    let interrupted = false;
    process.on("SIGINT", () => {
      if (interrupted) return;
      interrupted = true;
      console.error("\ncancelling the run (SIGINT to its step, SIGKILL after the grace period)...");
      void cancelRun(runId, actor).catch(() => undefined);
    });
    const status = await followRun(database.url, runId, (line) => process.stdout.write(line + "\n"));
    if (worker) await worker.stop(0);
    console.error(`run ${runId} ${status}`);
    process.exitCode = status === "succeeded" ? 0 : 1;
  } finally {
    await db().$disconnect();
    await database.stop();
  }
}

async function recordRefusal(actor: string, pipelineName: string, cluster: string | undefined, reason: string) {
  if (!process.exitCode) await recordAudit({ actor, action: "run.start", target: `${cluster ?? "?"}/${pipelineName}`, outcome: "refused", detail: { reason } });
}

async function askForName(title: string, cluster: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError(`${title} is destructive: pass --yes to confirm from a script.`);
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${title} is destructive. Type the cluster's name (${cluster}) to confirm: `);
  rl.close();
  return answer.trim();
}
