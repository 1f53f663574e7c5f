// npm run worker - claims and executes queued runs until SIGTERM/SIGINT.
import { env } from "@/server/env";
import { openPortal } from "@/server/bootstrap/open-portal";
import { Worker } from "@/server/worker/worker";
import { runMain } from "@/server/cli/run-main";
import { log } from "@/server/log";
import { superviseBackground } from "@/server/worker/supervise-background";

runMain(async () => {
  const e = env();
  // The same opening as npm start and the CLI: migrated, the config file's clusters mirrored (a
  // cluster added to portal.config.json is known after a worker restart, without the web's).
  const database = await openPortal();
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
    let stopping = false;
    const shutdown = (signal: string) => {
      // Ctrl-C reaches the worker directly and again as npm start's SIGTERM: stop once.
      if (stopping) return;
      stopping = true;
      log.info("worker stopping: no new claims; running steps get the grace period", { signal, active: worker.active });
      void Promise.all([worker.stop(e.PORTAL_SHUTDOWN_GRACE_MS), background.stop()]).then(async () => {
        await database.close();
        resolve();
      });
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
});
