import "server-only";
import pg from "pg";

// The portal's own health, for probes and uptime checks: the web server answers (or this would not run),
// the database answers within a timeout, and some worker heartbeated recently. The body names the
// failing check in words and carries no secret (no URL, host or driver message).

export type Check = { ok: boolean; detail: string };
export type PortalHealth = { status: "ok" | "failing"; checks: { web: Check; database: Check; worker: Check } };

function databaseProblem(err: unknown, timeoutMs: number): string {
  const e = err as { code?: string; message?: string };
  if (/timeout|timed out/i.test(e.message ?? "")) return `the database did not answer within ${timeoutMs} ms`;
  if (e.code && /^[A-Z]+$/.test(e.code)) return `the database is unreachable (${e.code})`;
  if (e.code) return `the database refused the probe (SQLSTATE ${e.code})`;
  return "the database is unreachable";
}

/** Checks the database and the workers' heartbeats; a fresh heartbeat is one within `staleAfterMs`. */
export async function checkPortalHealth(opts: { databaseUrl: string; staleAfterMs: number; timeoutMs?: number }): Promise<PortalHealth> {
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const web: Check = { ok: true, detail: "answering" };
  const client = new pg.Client({ connectionString: opts.databaseUrl, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, statement_timeout: timeoutMs });
  client.on("error", () => undefined); // a connection dropped mid-probe is reported by the failed query
  let database: Check;
  let worker: Check;
  try {
    await client.connect();
    const res = await client.query<{ age: number | null; live: number }>(
      `SELECT extract(epoch FROM now() - max("heartbeatAt"))::float8 AS age, count(*)::int AS live FROM "Worker" WHERE "stoppingAt" IS NULL`,
    );
    database = { ok: true, detail: "answering" };
    const age = res.rows[0]?.age ?? null;
    if (age === null) worker = { ok: false, detail: "no worker is registered: start one with `npm run worker`" };
    else if (age * 1000 > opts.staleAfterMs) worker = { ok: false, detail: `the freshest worker heartbeat is ${Math.round(age)} s old (limit ${Math.round(opts.staleAfterMs / 1000)} s)` };
    else worker = { ok: true, detail: `${res.rows[0]!.live} live, freshest heartbeat ${Math.max(0, Math.round(age))} s ago` };
  } catch (err) {
    database = { ok: false, detail: databaseProblem(err, timeoutMs) };
    worker = { ok: false, detail: "unknown: the database is not answering" };
  } finally {
    await client.end().catch(() => undefined);
  }
  return { status: database.ok && worker.ok ? "ok" : "failing", checks: { web, database, worker } };
}
