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

// The digest of a pods list already stored, by the list itself: the collector hands the same array again while its
// pods watch saw no change, and 15,000 pods are not re-serialized and re-hashed every interval for that.
const podsDigests = new WeakMap<object, string>();

/** Stores a reading, rewriting the body and the pods only where they differ from `last`. Returns the new digests. */
export async function storeHealth(
  pool: pg.Pool,
  clusterId: string,
  h: HealthSnapshot,
  last?: StoredDigests,
): Promise<StoredDigests> {
  const { pods, ...rest } = h.data;
  const bodyJson = JSON.stringify({ status: h.status, tiers: h.tiers, problems: h.problems, data: rest });
  const known = pods ? podsDigests.get(pods) : undefined;
  let podsOut = known === undefined ? await serializePods(pods) : null;
  const digests = { body: sha256(bodyJson), pods: known ?? podsOut!.digest };
  if (pods && known === undefined) podsDigests.set(pods, digests.pods);
  const meta = [clusterId, new Date(h.at), Math.round(h.durationMs), h.status, JSON.stringify(h.sources)];
  const newBody = digests.body !== last?.body ? await gzip(bodyJson, { level: 6 }) : null;
  const newPods = digests.pods !== last?.pods ? (podsOut ??= await serializePods(pods)).gz : null;
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
      [
        ...meta,
        digests.body,
        newBody ?? (await gzip(bodyJson)),
        digests.pods,
        newPods ?? (podsOut ??= await serializePods(pods)).gz,
      ],
    );
  }
  await pool.query(`SELECT pg_notify($1, $2)`, [HEALTH_UPDATED, clusterId]);
  return digests;
}

/** The pods' JSON (exactly JSON.stringify(pods)), hashed and gzipped as it is made, 200 pods at a time (a chunk of
 * ~64 KB stays a young object; V8 puts strings over 128 KB in its large-object space): 15,000 pods are 4.8 MB of
 * JSON, and one string of it per change was the background process's biggest allocation while a fault changed pods
 * every few hundred milliseconds. Measured on 15,000 pods, 40 changed lists, lean flags: peak RSS 120 -> 71 MB,
 * old + large-object space 53 -> 12 MB, CPU per list 84 -> 61 ms. */
async function serializePods(pods: Pods): Promise<{ digest: string; gz: Buffer }> {
  const hash = createHash("sha256");
  const gz = zlib.createGzip({ level: 6 });
  const out: Buffer[] = [];
  gz.on("data", (b: Buffer) => out.push(b));
  const ended = new Promise<void>((resolve, reject) => gz.on("end", resolve).on("error", reject));
  const put = async (s: string) => {
    hash.update(s);
    if (!gz.write(s)) await new Promise((r) => gz.once("drain", r));
  };
  if (!pods) await put("null");
  else {
    await put("[");
    for (let i = 0; i < pods.length; i += 200)
      await put(
        (i ? "," : "") +
          pods
            .slice(i, i + 200)
            .map((p) => JSON.stringify(p))
            .join(","),
      );
    await put("]");
  }
  gz.end();
  await ended;
  return { digest: hash.digest("hex"), gz: Buffer.concat(out) };
}

type Cached = { digest: string; body: Body; podsDigest: string; pods: Pods | undefined };
const cache = new Map<string, Cached>();
/** Reads of a cluster's changed parts in flight, by cluster and digests: concurrent requests after a change (the
 * page's queries refetch together) share one read and parse instead of each parsing its own copy of 15,000 pods. */
const loading = new Map<string, Promise<Cached | null>>();

export type ReadOptions = {
  /** Read the pods too (default true). The overview, queues, Argo CD and events routes need none of the 15,000, and
   * without them a changed reading costs the body only; `data.pods` is then null (the pods source stays as stored). */
  pods?: boolean;
};

/** The cluster's latest stored reading, or null before the first. The body and the pods are each parsed
 * again only when their digest changed (one cached copy per cluster, one read at a time). */
export async function readStoredHealth(
  prisma: PrismaClient,
  cluster: { id: string; name: string },
  opts: ReadOptions = {},
): Promise<HealthSnapshot | null> {
  const wantPods = opts.pods ?? true;
  const meta = await prisma.clusterHealth.findUnique({
    where: { clusterId: cluster.id },
    select: { checkedAt: true, durationMs: true, sources: true, digest: true, podsDigest: true },
  });
  if (!meta) return null;
  const hit = cache.get(cluster.id);
  const needBody = hit?.digest !== meta.digest;
  const needPods = wantPods && (hit?.podsDigest !== meta.podsDigest || hit.pods === undefined);
  let next: Cached | undefined = hit;
  if (needBody || needPods) {
    const key = `${cluster.id} ${meta.digest} ${wantPods ? meta.podsDigest : "-"}`;
    let p = loading.get(key);
    if (!p) {
      p = loadParts(prisma, cluster, hit, needBody, needPods, wantPods).finally(() => loading.delete(key));
      loading.set(key, p);
    }
    const got = await p;
    if (!got) return null;
    next = got;
  }
  const { body, pods } = next!;
  return {
    cluster: cluster.name,
    at: meta.checkedAt.toISOString(),
    durationMs: meta.durationMs,
    sources: meta.sources as Record<SourceName, SourceState>,
    ...body,
    // A source added after this reading was stored is null in it (unknown), never undefined.
    data: {
      ...(Object.fromEntries(SOURCE_NAMES.map((s) => [s, null])) as Body["data"]),
      ...body.data,
      pods: wantPods ? (pods ?? null) : null,
    },
  };
}

async function loadParts(
  prisma: PrismaClient,
  cluster: { id: string; name: string },
  hit: Cached | undefined,
  needBody: boolean,
  needPods: boolean,
  wantPods: boolean,
  retried = false,
): Promise<Cached | null> {
  const row = await prisma.clusterHealth.findUnique({
    where: { clusterId: cluster.id },
    select: { digest: true, podsDigest: true, body: needBody, pods: needPods },
  });
  if (!row) return null;
  if (
    !retried &&
    ((!needBody && row.digest !== hit!.digest) || (!needPods && wantPods && row.podsDigest !== hit!.podsDigest))
  ) {
    // A new reading landed between the two queries and changed a part not fetched: read it whole.
    cache.delete(cluster.id);
    return loadParts(prisma, cluster, undefined, true, wantPods, wantPods, true);
  }
  const next: Cached = {
    digest: row.digest,
    body: row.body ? parseBody(await gunzip(row.body), cluster.name) : hit!.body,
    podsDigest: row.podsDigest,
    // Pods not read are dropped when they are no longer the stored ones (no stale copy held), else kept.
    pods: needPods
      ? parsePods(row.pods ? await gunzip(row.pods) : null, cluster.name)
      : hit?.podsDigest === row.podsDigest
        ? hit.pods
        : undefined,
  };
  cache.set(cluster.id, next);
  return next;
}

function parsePods(buf: Buffer | null, cluster: string): Pods {
  if (!buf) return null;
  const pods = JSON.parse(buf.toString("utf8")) as unknown;
  if (pods !== null && !Array.isArray(pods))
    throw new Error(`the stored pods of ${cluster} are not a list this portal wrote`);
  return pods as Pods;
}

function parseBody(buf: Buffer, cluster: string): Body {
  const body = JSON.parse(buf.toString("utf8")) as Partial<Body>;
  if (
    !body ||
    !Array.isArray(body.tiers) ||
    !Array.isArray(body.problems) ||
    typeof body.data !== "object" ||
    !body.status
  )
    throw new Error(`the stored health reading of ${cluster} is not one this portal wrote`);
  return body as Body;
}
