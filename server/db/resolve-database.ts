import "server-only";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { env, inheritedEnvironment } from "@/server/env";
import { openEmbeddedPostgres } from "@/server/db/embedded-postgres";
import { MIGRATIONS_DIR } from "@/server/db/schema-engine";
import { setDatabaseUrl } from "@/server/db";

// One code path for every process: DATABASE_URL when set, otherwise the embedded server.

/** Thrown when the configured database cannot be reached; the message names host and cause. */
export class DatabaseUnreachableError extends Error {}

/** Connects once to prove the URL works, turning driver errors into one readable line. */
export async function checkDatabase(url: string): Promise<void> {
  // A one-off connection of its own, not the process's pool (server/db/pool.ts): it proves the URL before
  // anything else uses it, with its own timeout and error text, and is closed at once.
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on("error", () => undefined); // a drop surfaces as the failed query below
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
    throw new DatabaseUnreachableError(
      `DATABASE_URL: cannot reach PostgreSQL at ${host}: ${e.code ? `${e.code} ` : ""}${e.message ?? String(err)}`.trim(),
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Names of migrations in prisma/migrations that the database has not applied yet. */
export async function pendingMigrations(url: string): Promise<string[]> {
  const local = fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((d) => /^\d{14}_/.test(d))
    .sort();
  // One-off, as above: read once at start-up (also by processes that never open the pool), then closed.
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined); // a drop surfaces as the failed query
  await client.connect();
  try {
    const exists = await client.query(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS ok`);
    if (!exists.rows[0].ok) return local;
    const done = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(done.rows.map((r) => r.migration_name));
    return local.filter((m) => !applied.has(m));
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations in a short-lived child process: the WASM schema engine takes a few
 * hundred MB, which long-running processes (web, worker) should never carry.
 */
async function migrateIfNeeded(url: string): Promise<void> {
  if ((await pendingMigrations(url)).length === 0) return;
  try {
    execFileSync(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", path.resolve("server/cli/migrate.ts")],
      {
        env: { ...inheritedEnvironment(), DATABASE_URL: url },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? "")
      .trim()
      .split("\n")
      .pop();
    throw new DatabaseUnreachableError(`migrations failed: ${stderr || (err as Error).message}`);
  }
}

/** Resolves the database for this process, migrating it; call `stop` on shutdown. */
export async function resolveDatabase(
  opts: { migrate?: boolean } = {},
): Promise<{ url: string; embedded: boolean; stop: () => Promise<void> }> {
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
  if (opts.migrate !== false) await migrateIfNeeded(url);
  return { url, embedded, stop };
}
