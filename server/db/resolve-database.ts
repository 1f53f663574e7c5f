import "server-only";
import path from "node:path";
import pg from "pg";
import { env } from "@/server/env";
import { openEmbeddedPostgres } from "@/server/db/embedded-postgres";
import { applyMigrations } from "@/server/db/schema-engine";
import { setDatabaseUrl } from "@/server/db";

// One code path for every process: DATABASE_URL when set, otherwise the embedded server.

/** Thrown when the configured database cannot be reached; the message names host and cause. */
export class DatabaseUnreachableError extends Error {}

/** Connects once to prove the URL works, turning driver errors into one readable line. */
export async function checkDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  let host = "?";
  try {
    const u = new URL(url);
    host = `${u.hostname}:${u.port || 5432}`;
  } catch {
    throw new DatabaseUnreachableError("DATABASE_URL: not a valid URL");
  }
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new DatabaseUnreachableError(`DATABASE_URL: cannot reach PostgreSQL at ${host}: ${e.code ? `${e.code} ` : ""}${e.message ?? String(err)}`.trim());
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Resolves the database for this process, migrating it; call `stop` on shutdown. */
export async function resolveDatabase(opts: { migrate?: boolean } = {}): Promise<{ url: string; embedded: boolean; stop: () => Promise<void> }> {
  const e = env();
  let url = e.DATABASE_URL;
  let stop = async () => undefined as void;
  const embedded = !url;
  if (!url) {
    const db = await openEmbeddedPostgres(path.resolve(e.PORTAL_DATA_DIR));
    url = db.url;
    stop = db.stop;
  }
  await checkDatabase(url);
  setDatabaseUrl(url);
  if (opts.migrate !== false) await applyMigrations(url);
  return { url, embedded, stop };
}
