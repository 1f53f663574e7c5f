// The worker's background jobs, in their own process beside it: queue sampling, health snapshots of
// ended runs, and log retention. The Kubernetes client, AWS SDK and Prisma they load cost a few hundred MB, which the
// run-executing worker (target: 200 MB) should not carry.
import { resolveDatabase } from "@/server/db/resolve-database";
import { db } from "@/server/db";
import { startQueueSampler } from "@/server/cluster/queue-sampler";
import { startHealthSnapshotJob } from "@/server/runs/record-health-snapshots";
import { startLogRetentionJob } from "@/server/runs/prune-logs";
import { runMain } from "@/server/cli/run-main";
import { env } from "@/server/env";
import { portalBaseUrl } from "@/server/notify/base-url";
import { startNotifier } from "@/server/notify/notifier";
import { startTierWatch } from "@/server/notify/tier-watch";

runMain(async () => {
  const database = await resolveDatabase({ migrate: false });
  const notifier = await startNotifier({ databaseUrl: database.url, baseUrl: portalBaseUrl() });
  const tierWatch = startTierWatch(database.url, db(), { intervalMs: env().PORTAL_HEALTH_WATCH_MS, onEvent: () => notifier.kick() });
  const jobs = [startQueueSampler(db()), startHealthSnapshotJob(), startLogRetentionJob(), notifier, tierWatch];
  await new Promise<void>((resolve) => {
    const stop = () => void Promise.all(jobs.map((j) => j.stop())).then(() => resolve());
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    process.once("disconnect", stop); // the worker went away
  });
  await db().$disconnect();
  await database.stop();
});
