import "server-only";
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type pg from "pg";
import type { PrismaClient } from "@/server/generated/prisma/client";
import type { HealthSnapshot, SourceState } from "@/server/cluster/collect-health";
import type { SourceName } from "@/server/cluster/types";

// The latest health reading of each cluster, in PostgreSQL: the worker's background process writes it
// after every read, the web serves it. The body (up to megabytes at 15,000 pods) is stored gzipped, and
// a reader re-reads and re-parses it only when its digest changed.

/** A web server wants a cluster's health read soon. Payload: cluster id, or "<cluster id>:now" to read at once. */
export const HEALTH_WANTED = "portal_health_wanted";
/** A cluster's stored reading was written. Payload: cluster id. */
export const HEALTH_UPDATED = "portal_health_updated";

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

type Body = Pick<HealthSnapshot, "status" | "tiers" | "problems" | "data">;

/** Stores a reading; the body is written only when it differs from `lastDigest`. Returns the body's digest. */
export async function storeHealth(pool: pg.Pool, clusterId: string, h: HealthSnapshot, lastDigest?: string): Promise<string> {
  const json = JSON.stringify({ status: h.status, tiers: h.tiers, problems: h.problems, data: h.data } satisfies Body);
  const digest = createHash("sha256").update(json).digest("hex");
  const meta = [clusterId, new Date(h.at), Math.round(h.durationMs), h.status, JSON.stringify(h.sources)];
  let done = false;
  if (digest === lastDigest) {
    const res = await pool.query(
      `UPDATE "ClusterHealth" SET "checkedAt" = $2, "durationMs" = $3, status = $4, sources = $5 WHERE "clusterId" = $1 AND digest = $6`,
      [...meta, digest],
    );
    done = (res.rowCount ?? 0) > 0;
  }
  if (!done) {
    const body = await gzip(json, { level: 6 });
    await pool.query(
      `INSERT INTO "ClusterHealth" ("clusterId", "checkedAt", "durationMs", status, sources, digest, body, "changedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $2)
       ON CONFLICT ("clusterId") DO UPDATE SET "checkedAt" = EXCLUDED."checkedAt", "durationMs" = EXCLUDED."durationMs",
         status = EXCLUDED.status, sources = EXCLUDED.sources, digest = EXCLUDED.digest, body = EXCLUDED.body, "changedAt" = EXCLUDED."changedAt"`,
      [...meta, digest, body],
    );
  }
  await pool.query(`SELECT pg_notify($1, $2)`, [HEALTH_UPDATED, clusterId]);
  return digest;
}

const cache = new Map<string, { digest: string; body: Body }>();

/** The cluster's latest stored reading, or null before the first. Bodies are cached per digest (one per cluster). */
export async function readStoredHealth(prisma: PrismaClient, cluster: { id: string; name: string }): Promise<HealthSnapshot | null> {
  const meta = await prisma.clusterHealth.findUnique({ where: { clusterId: cluster.id }, select: { checkedAt: true, durationMs: true, sources: true, digest: true } });
  if (!meta) return null;
  let hit = cache.get(cluster.id);
  let row = meta;
  if (hit?.digest !== meta.digest) {
    const full = await prisma.clusterHealth.findUnique({ where: { clusterId: cluster.id } });
    if (!full) return null;
    hit = { digest: full.digest, body: parseBody(await gunzip(full.body), cluster.name) };
    cache.set(cluster.id, hit);
    row = full;
  }
  return {
    cluster: cluster.name, at: row.checkedAt.toISOString(), durationMs: row.durationMs,
    sources: row.sources as Record<SourceName, SourceState>, ...hit.body,
  };
}

function parseBody(buf: Buffer, cluster: string): Body {
  const body = JSON.parse(buf.toString("utf8")) as Partial<Body>;
  if (!body || !Array.isArray(body.tiers) || !Array.isArray(body.problems) || typeof body.data !== "object" || !body.status)
    throw new Error(`the stored health reading of ${cluster} is not one this portal wrote`);
  return body as Body;
}
