// npm run worker - claims and executes queued runs until SIGTERM/SIGINT.
import { env } from "@/server/env";
import { resolveDatabase } from "@/server/db/resolve-database";
import { Worker } from "@/server/worker/worker";
import { runMain } from "@/server/cli/run-main";
import { log } from "@/server/log";
import { superviseBackground } from "@/server/worker/supervise-background";

runMain(async () => {
  const e = env();
  const database = await resolveDatabase();
  const worker = new Worker({
    databaseUrl: database.url,
    id: e.PORTAL_WORKER_ID,
    heartbeatMs: e.PORTAL_HEARTBEAT_MS,
    staleAfterMs: e.PORTAL_STALE_AFTER_MS,
    cancelGraceMs: e.PORTAL_CANCEL_GRACE_MS,
    capBytes: e.PORTAL_LOG_CAP_BYTES,
    scriptsDir: e.PORTAL_SCRIPTS_DIR,
  });
  await worker.start();
  const background = superviseBackground(database.url);
  log.info("worker started", { worker: worker.id });
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      log.info("worker stopping: no new claims; running steps get the grace period", { signal, active: worker.active });
      void Promise.all([worker.stop(e.PORTAL_SHUTDOWN_GRACE_MS), background.stop()]).then(async () => {
        await database.stop();
        resolve();
      });
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
});
