// Shared set-up for run-engine tests: a throwaway database with one sandbox cluster, and helpers.
import path from "node:path";
import { setDatabaseUrl } from "@/server/db";
import { throwawayDatabase } from "@/test/throwaway-db";
import { Worker, type WorkerOptions } from "@/server/worker/worker";

export const FIXTURE_SCRIPTS = path.resolve("server/runs/__fixtures__/scripts");

/** A migrated database whose Cluster table holds `growbin-test` (sandbox). */
export async function runTestDatabase() {
  const tdb = await throwawayDatabase();
  setDatabaseUrl(tdb.url);
  const cluster = await tdb.prisma.cluster.create({
    data: {
      name: "growbin-test",
      kind: "sandbox",
      config: { name: "growbin-test", kind: "sandbox", stateDir: "/tmp/growbin-test-sandbox", links: {} },
    },
  });
  return { ...tdb, cluster };
}

/** An in-process worker on the fixture scripts, with fast heartbeats. */
export function testWorker(url: string, opts: Partial<WorkerOptions> = {}) {
  return new Worker({
    databaseUrl: url,
    heartbeatMs: 200,
    staleAfterMs: 5_000,
    cancelGraceMs: 1_000,
    capBytes: 1024 * 1024,
    scriptsDir: FIXTURE_SCRIPTS,
    ...opts,
  });
}

/** Polls `check` until it returns a truthy value (no fixed sleeps: the machine may be busy). */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
