import "server-only";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { env, inheritedEnvironment } from "@/server/env";
import { log } from "@/server/log";
import type { ClusterConfig } from "@/server/config/clusters";

// What a step's script gets. Its environment is built from an allow-list, never by removing names from the
// worker's: the worker holds the portal's own secrets (DATABASE_URL, PGPASSWORD, AUTH_*, PORTAL_METRICS_TOKEN,
// npm's tokens) and none of them is any business of Terraform or Ansible. The same variables drive the
// scripts when run by hand. And it runs in a mount namespace where the portal's data folder shows only the
// sandbox state it works on: the auth secret and the database's password and files are not there to read.

/** Names a step inherits as they are. */
const ALLOWED = new Set([
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LANGUAGE",
  "TZ",
  "TMPDIR",
  "SSH_AUTH_SOCK",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "NODE_EXTRA_CA_CERTS",
  "REQUESTS_CA_BUNDLE",
]);
/** Prefixes a step inherits: locale, AWS credentials and settings, Terraform (TF_STATE_BUCKET, TF_VAR_*), Ansible (vault), the sandbox's own. */
const ALLOWED_PREFIXES = ["LC_", "AWS_", "TF_", "ANSIBLE_", "SANDBOX_"];

/** The names and `PREFIX_*` patterns of PORTAL_STEP_ENV, for a team's own step variables. */
function extraAllowed(): (name: string) => boolean {
  const items = (env().PORTAL_STEP_ENV ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return (name) => items.some((i) => (i.endsWith("*") ? name.startsWith(i.slice(0, -1)) : name === i));
}

/** The worker's environment, filtered to what a step may see. */
export function allowedEnvironment(source: NodeJS.ProcessEnv = inheritedEnvironment()): NodeJS.ProcessEnv {
  const extra = extraAllowed();
  return Object.fromEntries(
    Object.entries(source).filter(
      ([k, v]) => v !== undefined && (ALLOWED.has(k) || ALLOWED_PREFIXES.some((p) => k.startsWith(p)) || extra(k)),
    ),
  ) as NodeJS.ProcessEnv;
}

/** Environment for a step on `cluster`. */
export function stepEnvironment(cluster: ClusterConfig, runId: string): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {
    ...allowedEnvironment(),
    CLUSTER: cluster.name,
    PORTAL_RUN_ID: runId,
    CI: "true",
    TERM: "dumb",
  };
  if (cluster.kind === "sandbox") {
    const scale = cluster.timeScale ?? env().SANDBOX_TIME_SCALE;
    return {
      ...base,
      TARGET: "sandbox",
      SANDBOX_STATE: cluster.stateDir,
      ...(scale ? { SANDBOX_TIME_SCALE: String(scale) } : {}),
    };
  }
  return {
    ...base,
    TARGET: "aws",
    AWS_REGION: cluster.region,
    KUBECONFIG: path.resolve(cluster.kubeconfig),
    ...(cluster.terraformVarFile ? { TF_VAR_FILE: path.resolve(cluster.terraformVarFile) } : {}),
  };
}

// Inside the namespace: hide each path given (a tmpfs over a folder, /dev/null over a file), then become the step.
const HIDE_SCRIPT = `set -e
while [ "$1" != "--" ]; do
  if [ -d "$1" ]; then mount -t tmpfs -o ro,size=4k,mode=0500 portal-hidden "$1"; else mount --bind /dev/null "$1"; fi
  shift
done
shift
exec "$@"`;

/** The entries of the data folder a step must not see: everything except the way to the folders it works in. */
export function hiddenPaths(dataDir: string, workDirs: string[]): string[] {
  const root = path.resolve(dataDir);
  if (!fs.existsSync(root)) return [];
  const keep = workDirs.map((d) => path.resolve(d)).filter((d) => d === root || d.startsWith(root + path.sep));
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir).flatMap((name) => {
      const p = path.join(dir, name);
      if (keep.some((k) => k === p || k.startsWith(p + path.sep))) return keep.includes(p) ? [] : walk(p);
      // A mount follows a symlink: over one, it would hide whatever the link points to, outside the data folder.
      return fs.lstatSync(p).isSymbolicLink() ? [] : [p];
    });
  return keep.includes(root) ? [] : walk(root);
}

let isolation: string[] | null | undefined;
/** The `unshare` prefix that gives a step its own mount namespace here, or null where none can be made. */
function namespacePrefix(): string[] | null {
  if (isolation !== undefined) return isolation;
  // As root a mount namespace is enough; otherwise a user namespace makes one (where the kernel allows it).
  const candidates =
    process.getuid?.() === 0
      ? [["unshare", "--mount", "--propagation", "private"]]
      : [["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"]];
  isolation = null;
  for (const c of candidates) {
    const probe = spawnSync(
      c[0]!,
      [...c.slice(1), "sh", "-c", "mount -t tmpfs portal-probe /mnt 2>/dev/null || mount -t tmpfs portal-probe /tmp"],
      { stdio: "ignore", timeout: 5_000 },
    );
    if (probe.status === 0) {
      isolation = c;
      break;
    }
  }
  if (!isolation)
    log.warn(
      "steps can read the portal's data folder: this machine allows no mount namespace (run the worker as root, or enable unprivileged user namespaces)",
    );
  return isolation;
}

/** The command line that runs a step with the data folder hidden (unchanged where no namespace can be made). */
export function isolatedCommand(
  command: string,
  args: string[],
  cluster: ClusterConfig,
): { command: string; args: string[] } {
  const workDirs =
    cluster.kind === "sandbox" ? [cluster.stateDir ?? ""] : [cluster.kubeconfig, cluster.terraformVarFile ?? ""];
  const hide = hiddenPaths(env().PORTAL_DATA_DIR, workDirs.filter(Boolean));
  const prefix = hide.length ? namespacePrefix() : null;
  if (!prefix) return { command, args };
  return {
    command: prefix[0]!,
    args: [...prefix.slice(1), "sh", "-c", HIDE_SCRIPT, "portal-step", ...hide, "--", command, ...args],
  };
}
