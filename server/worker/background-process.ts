// The worker's background jobs, in their own process beside it: the health collector (which also feeds
// the tier-change notifications), queue sampling, health snapshots of ended runs, log retention and
// webhook delivery. The AWS SDK and Prisma they load cost over 100 MB, which the run-executing worker
// (target: 200 MB) should not carry.
import { resolveDatabase } from "@/server/db/resolve-database";
import { db } from "@/server/db";
import { startQueueSampler } from "@/server/cluster/queue-sampler";
import { startHealthSnapshotJob } from "@/server/runs/record-health-snapshots";
import { startLogRetentionJob } from "@/server/runs/prune-logs";
import { runMain } from "@/server/cli/run-main";
import { env } from "@/server/env";
import { portalBaseUrl } from "@/server/notify/base-url";
import { startNotifier } from "@/server/notify/notifier";
import { startHealthCollector } from "@/server/worker/health-collector";
import { notifyHub } from "@/server/db/notify-hub";

runMain(async () => {
  const database = await resolveDatabase({ migrate: false });
  const notifier = await startNotifier({ databaseUrl: database.url, baseUrl: portalBaseUrl() });
  const collector = await startHealthCollector({
    databaseUrl: database.url, prisma: db(), collectMs: env().PORTAL_HEALTH_COLLECT_MS, idleMs: env().PORTAL_HEALTH_WATCH_MS, onEvent: () => notifier.kick(),
  });
  const jobs = [startQueueSampler(db()), startHealthSnapshotJob((run) => collector.readNow(run.clusterId)), startLogRetentionJob(), notifier, collector];
  await new Promise<void>((resolve) => {
    const stop = () => void Promise.all(jobs.map((j) => j.stop())).then(() => resolve());
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    process.once("disconnect", stop); // the worker went away
  });
  await notifyHub().close();
  await db().$disconnect();
  await database.stop();
});
