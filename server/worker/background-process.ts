// The worker's background jobs, in their own process beside it: queue sampling (and other periodic
// jobs). The Kubernetes client, AWS SDK and Prisma they load cost a few hundred MB, which the
// run-executing worker (target: 200 MB) should not carry.
import { resolveDatabase } from "@/server/db/resolve-database";
import { db } from "@/server/db";
import { startQueueSampler } from "@/server/cluster/queue-sampler";
import { runMain } from "@/server/cli/run-main";

runMain(async () => {
  const database = await resolveDatabase({ migrate: false });
  const jobs = [startQueueSampler(db())];
  await new Promise<void>((resolve) => {
    const stop = () => void Promise.all(jobs.map((j) => j.stop())).then(() => resolve());
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    process.once("disconnect", stop); // the worker went away
  });
  await db().$disconnect();
  await database.stop();
});
