// The worker's background jobs, in their own process beside it: the health collector (which also feeds
// the tier-change notifications), queue sampling, health snapshots of ended runs, log retention and
// webhook delivery. The AWS SDK and Prisma they load cost over 100 MB, which the run-executing worker
// (target: 200 MB) should not carry.
import { resolveDatabase } from "@/server/db/resolve-database";
import { closeDb, db } from "@/server/db";
import { startQueueSampler } from "@/server/cluster/sources/queue-sampler";
import { startHealthSnapshotJob } from "@/server/runs/record-health-snapshots";
import { startLogRetentionJob } from "@/server/runs/prune-logs";
import { runMain } from "@/server/cli/run-main";
import { env } from "@/server/env";
import { portalBaseUrl } from "@/server/notify/base-url";
import { startNotifier } from "@/server/notify/notifier";
import { startHealthCollector } from "@/server/worker/health-collector";

const STOP_DEADLINE_MS = 15_000;

// Listened for from the first moment: a worker killed while this process is still starting must end it too.
const stopRequested = new Promise<void>((resolve) => {
  process.once("SIGTERM", () => resolve());
  process.once("SIGINT", () => resolve());
  process.once("disconnect", () => resolve()); // the worker went away
  // ...also while this process was still loading, before any listener existed: the worker passes its pid.
  let worker: number | undefined;
  try {
    worker = env().PORTAL_WORKER_PID;
  } catch {
    // A bad environment: runMain reports it.
  }
  if (worker) {
    const gone = () => process.ppid !== worker && resolve();
    gone();
    setInterval(gone, 1_000).unref();
  }
});
// A job whose stop fails (the database already gone) or a start-up that hangs must not keep this process
// alive after the worker: it exits within STOP_DEADLINE_MS of being asked, whatever is still pending.
void stopRequested.then(() => setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref());

runMain(async () => {
  const database = await resolveDatabase({ migrate: false });
  const notifier = await startNotifier({ databaseUrl: database.url, baseUrl: portalBaseUrl() });
  const collector = await startHealthCollector({
    databaseUrl: database.url,
    prisma: db(),
    collectMs: env().PORTAL_HEALTH_COLLECT_MS,
    idleMs: env().PORTAL_HEALTH_WATCH_MS,
    onEvent: () => notifier.kick(),
  });
  const jobs = [
    startQueueSampler(db()),
    startHealthSnapshotJob((run) => collector.readNow(run.clusterId)),
    startLogRetentionJob(),
    notifier,
    collector,
  ];
  await stopRequested;
  await Promise.allSettled(jobs.map((j) => j.stop()));
  await closeDb().catch(() => undefined); // the client, the process's pool and its notify hub
  await database.stop();
});
