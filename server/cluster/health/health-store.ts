import "server-only";
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type pg from "pg";
import type { PrismaClient } from "@/server/generated/prisma/client";
import type { HealthSnapshot, SourceState } from "@/server/cluster/health/collect-health";
import { SOURCE_NAMES, type SourceName } from "@/server/cluster/health/types";

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
type Pods = HealthSnapshot["data"]["pods"];

/** The digests of the last reading written: the parts that did not change are not rewritten. */
export type StoredDigests = { body: string; pods: string };

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Stores a reading, rewriting the body and the pods only where they differ from `last`. Returns the new digests. */
export async function storeHealth(pool: pg.Pool, clusterId: string, h: HealthSnapshot, last?: StoredDigests): Promise<StoredDigests> {
  const { pods, ...rest } = h.data;
  const bodyJson = JSON.stringify({ status: h.status, tiers: h.tiers, problems: h.problems, data: rest });
  const podsJson = JSON.stringify(pods);
  const digests = { body: sha256(bodyJson), pods: sha256(podsJson) };
  const meta = [clusterId, new Date(h.at), Math.round(h.durationMs), h.status, JSON.stringify(h.sources)];
  const newBody = digests.body !== last?.body ? await gzip(bodyJson, { level: 6 }) : null;
  const newPods = digests.pods !== last?.pods ? await gzip(podsJson, { level: 6 }) : null;
  // The parts known to be stored already are kept, if the row still holds them (else everything is written).
  const res = await pool.query(
    `UPDATE "ClusterHealth" SET "checkedAt" = $2, "durationMs" = $3, status = $4, sources = $5,
       digest = $6, body = COALESCE($7, body), "podsDigest" = $8, pods = COALESCE($9, pods),
       "changedAt" = CASE WHEN $7::bytea IS NULL AND $9::bytea IS NULL THEN "changedAt" ELSE $2 END
     WHERE "clusterId" = $1 AND ($7::bytea IS NOT NULL OR digest = $10) AND ($9::bytea IS NOT NULL OR "podsDigest" = $11)`,
    [...meta, digests.body, newBody, digests.pods, newPods, last?.body ?? "", last?.pods ?? ""],
  );
  if (!res.rowCount) {
    await pool.query(
      `INSERT INTO "ClusterHealth" ("clusterId", "checkedAt", "durationMs", status, sources, digest, body, "podsDigest", pods, "changedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $2)
       ON CONFLICT ("clusterId") DO UPDATE SET "checkedAt" = EXCLUDED."checkedAt", "durationMs" = EXCLUDED."durationMs", status = EXCLUDED.status,
         sources = EXCLUDED.sources, digest = EXCLUDED.digest, body = EXCLUDED.body, "podsDigest" = EXCLUDED."podsDigest", pods = EXCLUDED.pods,
         "changedAt" = EXCLUDED."changedAt"`,
      [...meta, digests.body, newBody ?? (await gzip(bodyJson)), digests.pods, newPods ?? (await gzip(podsJson))],
    );
  }
  await pool.query(`SELECT pg_notify($1, $2)`, [HEALTH_UPDATED, clusterId]);
  return digests;
}

type Cached = { digest: string; body: Body; podsDigest: string; pods: Pods };
const cache = new Map<string, Cached>();

/** The cluster's latest stored reading, or null before the first. The body and the pods are each parsed
 * again only when their digest changed (one cached copy per cluster). */
export async function readStoredHealth(prisma: PrismaClient, cluster: { id: string; name: string }, retried = false): Promise<HealthSnapshot | null> {
  const meta = await prisma.clusterHealth.findUnique({ where: { clusterId: cluster.id }, select: { checkedAt: true, durationMs: true, sources: true, digest: true, podsDigest: true } });
  if (!meta) return null;
  const hit = cache.get(cluster.id);
  const needBody = hit?.digest !== meta.digest;
  const needPods = hit?.podsDigest !== meta.podsDigest;
  let next: Cached | undefined = hit;
  if (needBody || needPods) {
    const row = await prisma.clusterHealth.findUnique({
      where: { clusterId: cluster.id },
      select: { digest: true, podsDigest: true, body: needBody, pods: needPods },
    });
    if (!row) return null;
    if (!retried && ((!needBody && row.digest !== hit!.digest) || (!needPods && row.podsDigest !== hit!.podsDigest))) {
      // A new reading landed between the two queries and changed a part not fetched: read it whole.
      cache.delete(cluster.id);
      return readStoredHealth(prisma, cluster, true);
    }
    next = {
      digest: row.digest,
      body: row.body ? parseBody(await gunzip(row.body), cluster.name) : hit!.body,
      podsDigest: row.podsDigest,
      pods: needPods ? parsePods(row.pods ? await gunzip(row.pods) : null, cluster.name) : hit!.pods,
    };
    cache.set(cluster.id, next);
  }
  const { body, pods } = next!;
  return {
    cluster: cluster.name, at: meta.checkedAt.toISOString(), durationMs: meta.durationMs,
    sources: meta.sources as Record<SourceName, SourceState>, ...body,
    // A source added after this reading was stored is null in it (unknown), never undefined.
    data: { ...(Object.fromEntries(SOURCE_NAMES.map((s) => [s, null])) as Body["data"]), ...body.data, pods },
  };
}

function parsePods(buf: Buffer | null, cluster: string): Pods {
  if (!buf) return null;
  const pods = JSON.parse(buf.toString("utf8")) as unknown;
  if (pods !== null && !Array.isArray(pods)) throw new Error(`the stored pods of ${cluster} are not a list this portal wrote`);
  return pods as Pods;
}

function parseBody(buf: Buffer, cluster: string): Body {
  const body = JSON.parse(buf.toString("utf8")) as Partial<Body>;
  if (!body || !Array.isArray(body.tiers) || !Array.isArray(body.problems) || typeof body.data !== "object" || !body.status)
    throw new Error(`the stored health reading of ${cluster} is not one this portal wrote`);
  return body as Body;
}
