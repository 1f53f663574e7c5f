import "server-only";
import type { PrismaClient } from "@/server/generated/prisma/client";
import type { ClusterConfig } from "@/server/config/clusters";

// The config file is the source of truth for which clusters exist; the table mirrors it at start.

/** Upserts every configured cluster; clusters no longer configured keep their history but are not listed. */
export async function syncClusters(prisma: PrismaClient, clusters: ClusterConfig[]): Promise<void> {
  for (const c of clusters) {
    await prisma.cluster.upsert({
      where: { name: c.name },
      create: { name: c.name, kind: c.kind, config: c as never },
      update: { kind: c.kind, config: c as never },
    });
  }
}
