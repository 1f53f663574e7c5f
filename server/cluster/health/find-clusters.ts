import "server-only";
import { cache } from "react";
import { db } from "@/server/db";
import type { ClusterConfig } from "@/server/config/clusters";

// Reads of the Cluster table for pages: the list for the switcher, one by name for cluster pages.

export type ClusterSummary = { id: string; name: string; kind: "aws" | "sandbox"; description: string | null };

/** Every configured cluster, by name. */
export const listClusters = cache(async (): Promise<ClusterSummary[]> => {
  const rows = await db().cluster.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, kind: true, config: true },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    description: (r.config as ClusterConfig).description ?? null,
  }));
});

/** One cluster with its config, or null when the name is unknown. */
export const findCluster = cache(async (name: string) => {
  const row = await db().cluster.findUnique({ where: { name } });
  return row ? { ...row, config: row.config as ClusterConfig } : null;
});
