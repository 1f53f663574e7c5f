// The worker's queue sampler, in its own process: the Kubernetes client, AWS SDK and Prisma it loads
// cost a few hundred MB, which the run-executing worker (target: 200 MB) should not carry.
import { resolveDatabase } from "@/server/db/resolve-database";
import { db } from "@/server/db";
import { startQueueSampler } from "@/server/cluster/queue-sampler";
import { runMain } from "@/server/cli/run-main";

runMain(async () => {
  const database = await resolveDatabase({ migrate: false });
  const sampler = startQueueSampler(db());
  await new Promise<void>((resolve) => {
    const stop = () => void sampler.stop().then(resolve);
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    process.once("disconnect", stop); // the worker went away
  });
  await db().$disconnect();
  await database.stop();
});
