import "server-only";
import type { PrismaClient } from "@/server/generated/prisma/client";

// The portal's own health, for probes and uptime checks: the web server answers (or this would not run),
// the database answers within a timeout, and some worker heartbeated recently. The body names the
// failing check in words and carries no secret (no URL, host or driver message).
// /api/healthz is public, so the check goes through the process's connection pool and its answer is
// shared for a couple of seconds: a burst of anonymous probes costs one query, not one connection each.

export type Check = { ok: boolean; detail: string };
export type PortalHealth = {
  status: "ok" | "failing";
  checkedAt: string;
  checks: { web: Check; database: Check; worker: Check };
};

type Db = Pick<PrismaClient, "$queryRawUnsafe">;

class ProbeTimeout extends Error {}

function databaseProblem(err: unknown, timeoutMs: number): string {
  if (err instanceof ProbeTimeout) return `the database did not answer within ${timeoutMs} ms`;
  const text = `${(err as { message?: string }).message ?? ""} ${String((err as { cause?: unknown }).cause ?? "")}`;
  if (/timeout|timed out/i.test(text)) return `the database did not answer within ${timeoutMs} ms`;
  const code = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT)\b/.exec(text)?.[1];
  return code ? `the database is unreachable (${code})` : "the database is unreachable";
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new ProbeTimeout()), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Checks the database and the workers' heartbeats; a fresh heartbeat is one within `staleAfterMs`. */
export async function checkPortalHealth(opts: {
  db: Db;
  staleAfterMs: number;
  timeoutMs?: number;
}): Promise<PortalHealth> {
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const web: Check = { ok: true, detail: "answering" };
  let database: Check;
  let worker: Check;
  try {
    const rows = await withTimeout(
      opts.db.$queryRawUnsafe<{ age: number | null; live: number }[]>(
        `SELECT extract(epoch FROM now() - max("heartbeatAt"))::float8 AS age, count(*)::int AS live FROM "Worker" WHERE "stoppingAt" IS NULL`,
      ),
      timeoutMs,
    );
    database = { ok: true, detail: "answering" };
    const age = rows[0]?.age ?? null;
    if (age === null) worker = { ok: false, detail: "no worker is registered: start one with `npm run worker`" };
    else if (age * 1000 > opts.staleAfterMs)
      worker = {
        ok: false,
        detail: `the freshest worker heartbeat is ${Math.round(age)} s old (limit ${Math.round(opts.staleAfterMs / 1000)} s)`,
      };
    else
      worker = { ok: true, detail: `${rows[0]!.live} live, freshest heartbeat ${Math.max(0, Math.round(age))} s ago` };
  } catch (err) {
    database = { ok: false, detail: databaseProblem(err, timeoutMs) };
    worker = { ok: false, detail: "unknown: the database is not answering" };
  }
  return {
    status: database.ok && worker.ok ? "ok" : "failing",
    checkedAt: new Date().toISOString(),
    checks: { web, database, worker },
  };
}

/** How long one answer is shared. */
export const HEALTH_CACHE_MS = 2_000;

let shared: { promise: Promise<PortalHealth>; doneAt: number | null } | null = null;

/** checkPortalHealth, shared by every caller while one is running and for HEALTH_CACHE_MS after it ends. */
export function cachedPortalHealth(
  opts: Parameters<typeof checkPortalHealth>[0],
  now = Date.now(),
): Promise<PortalHealth> {
  if (shared && (shared.doneAt === null || now - shared.doneAt < HEALTH_CACHE_MS)) return shared.promise;
  const entry: { promise: Promise<PortalHealth>; doneAt: number | null } = {
    promise: checkPortalHealth(opts),
    doneAt: null,
  };
  void entry.promise.finally(() => (entry.doneAt = Date.now()));
  shared = entry;
  return entry.promise;
}
