import "server-only";
import type { PrismaClient } from "@/server/generated/prisma/client";
import type { ClusterConfig } from "@/server/config/clusters";
import { resolveConnection } from "@/server/cluster/kube/connection";
import { loadKubeConfig } from "@/server/cluster/kube/kubeconfig";
import { compactSamples, recordSamples } from "@/server/cluster/health/queue-samples";
import { listQueues } from "@/server/cluster/sources/rabbitmq";
import { oneLine } from "@/server/cluster/health/with-timeout";
import { log } from "@/server/log";

// The worker's queue sampler: every 15 s, each cluster's queue depths into PostgreSQL. Several workers
// may run; a transaction-scoped advisory lock plus a "sampled recently" check keeps one row per tick.

const LOCK_KEY = 0x51_75_65_75; // "Queu"

// The last sampling error per cluster: a cluster that stays unprovisioned or down fails every 15 s with the
// same error, and the log says so once (then once more when it changes or recovers), not four times a minute.
const lastError = new Map<string, string>();

/** Logs a sampling failure only when it differs from the cluster's previous one; exported for its test. */
export function noteSampleError(
  cluster: string,
  error: string | null,
  warn = (msg: string, f: Record<string, unknown>) => log.warn(msg, f),
  info = (msg: string, f: Record<string, unknown>) => log.info(msg, f),
): void {
  const before = lastError.get(cluster);
  if (error === null) {
    if (before !== undefined) info("queue sampling resumed", { cluster });
    lastError.delete(cluster);
    return;
  }
  if (before === error) return;
  lastError.set(cluster, error);
  warn("queue sample skipped", { cluster, error, note: "repeats of this error are not logged until it changes" });
}

/** Samples every configured cluster once; returns how many rows it wrote. */
export async function sampleOnce(db: PrismaClient, intervalMs: number, now = Date.now()): Promise<number> {
  const clusters = await db.cluster.findMany({ select: { id: true, name: true, config: true } });
  let written = 0;
  await Promise.all(
    clusters.map(async (c) => {
      try {
        const conn = resolveConnection(c.config as ClusterConfig);
        const queues = await listQueues(
          conn,
          conn.rabbitmq.url ? null : loadKubeConfig(conn.kubeconfig),
          AbortSignal.timeout(5000),
        );
        written += await db.$transaction(async (tx) => {
          const [row] = await tx.$queryRaw<
            { locked: boolean }[]
          >`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}, hashtext(${c.id})) AS locked`;
          if (!row?.locked) return 0;
          const recent = await tx.queueSample.findFirst({
            where: { clusterId: c.id, time: { gt: new Date(now - intervalMs / 2) } },
            select: { id: true },
          });
          return recent ? 0 : recordSamples(tx as unknown as PrismaClient, c.id, queues, new Date(now));
        });
        noteSampleError(c.name, null);
      } catch (err) {
        // A cluster that is down or not provisioned has no queues to sample; the dashboard says why.
        noteSampleError(c.name, oneLine(err));
      }
    }),
  );
  return written;
}

/** Starts sampling every `intervalMs` and compacting every 5 minutes; `stop` waits for a tick in flight. */
export function startQueueSampler(db: PrismaClient, intervalMs = 15_000): { stop(): Promise<void> } {
  let inflight: Promise<unknown> = Promise.resolve();
  let lastCompact = 0;
  const tick = () => {
    inflight = (async () => {
      await sampleOnce(db, intervalMs);
      if (Date.now() - lastCompact > 5 * 60_000) {
        lastCompact = Date.now();
        await compactSamples(db, Date.now());
      }
    })().catch((err: unknown) => log.warn("queue sampler tick failed", { error: oneLine(err) }));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await inflight;
    },
  };
}
