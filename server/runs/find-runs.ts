import "server-only";
import { db } from "@/server/db";

// Run reads shared by pages: the active runs (banner) and the recent runs of a cluster.

import { ACTIVE_STATUSES } from "@/lib/run-states";

/** Runs that are queued, running or cancelling, on any cluster. */
export async function listActiveRuns() {
  const rows = await db().run.findMany({
    where: { status: { in: [...ACTIVE_STATUSES] } },
    orderBy: { createdAt: "asc" },
    select: { id: true, pipeline: true, status: true, requestedBy: true, cluster: { select: { name: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    pipeline: r.pipeline,
    status: r.status,
    requestedBy: r.requestedBy,
    cluster: r.cluster.name,
  }));
}

/** The newest runs of one cluster. */
export async function listRecentRuns(clusterId: string, take = 10) {
  return db().run.findMany({
    where: { clusterId },
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      pipeline: true,
      status: true,
      requestedBy: true,
      reason: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
    },
  });
}
