// Runs the real terraform binary on a throw-away copy of infra/terraform, offline,
// with the provider from a filesystem mirror: nothing (.terraform, lock changes,
// state) lands in the work tree.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "./tools";

export const TF_SRC = path.join(REPO_ROOT, "infra/terraform");
/** The provider mirror; CI machines and this one have it at /opt/tf-plugins. */
export const PLUGIN_DIR = process.env.TF_PLUGIN_DIR ?? "/opt/tf-plugins";
const MIN_VERSION = [1, 9]; // override_during (mock values at plan time) needs 1.9

/** Root, bootstrap and every module: each is a directory with its own tests. */
export function terraformDirs(root = TF_SRC): string[] {
  const mods = readdirSync(path.join(root, "modules"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `modules/${e.name}`)
    .sort();
  return ["", "bootstrap", ...mods];
}

/** Throws one line naming what is missing and how to get it; never lets a suite skip. */
export function requireTerraform(pluginDir = PLUGIN_DIR): string {
  const v = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
  if (v.error || v.status !== 0) {
    throw new Error(
      "terraform is not installed, so the Terraform tests cannot run: install Terraform >= 1.9 (https://developer.hashicorp.com/terraform/install; CI machines have it at /usr/local/bin/terraform).",
    );
  }
  const version = String((JSON.parse(v.stdout) as { terraform_version: string }).terraform_version);
  const [maj = 0, min = 0] = version.split(".").map(Number);
  if (maj < MIN_VERSION[0]! || (maj === MIN_VERSION[0] && min < MIN_VERSION[1]!)) {
    throw new Error(
      `terraform ${version} is too old for these tests: install Terraform >= 1.9 (mock values at plan time need it).`,
    );
  }
  const aws = path.join(pluginDir, "registry.terraform.io/hashicorp/aws");
  if (!existsSync(aws)) {
    throw new Error(
      `the hashicorp/aws provider mirror is missing at ${aws}: create it with \`terraform providers mirror ${PLUGIN_DIR}\` in infra/terraform on a machine with network, or set TF_PLUGIN_DIR.`,
    );
  }
  return version;
}

export interface TfResult {
  code: number | null;
  out: string;
  ms: number;
}

/** A copy of infra/terraform without local state or provider folders. */
export function copyTree(): { dir: string; env: NodeJS.ProcessEnv; cleanup: () => void } {
  const base = mkdtempSync(path.join(tmpdir(), "growbin-tf-"));
  const dir = path.join(base, "terraform");
  cpSync(TF_SRC, dir, {
    recursive: true,
    filter: (src) => !/(^|\/)(\.terraform|terraform\.tfstate[^/]*|\.terraform\.tfstate\.lock\.info)$/.test(src),
  });
  const rc = path.join(base, "terraformrc");
  writeFileSync(rc, ""); // no user CLI config: offline and reproducible
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: rc,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    NO_COLOR: "1",
  };
  delete env.TF_PLUGIN_CACHE_DIR;
  return { dir, env, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** terraform ARGS in DIR, asynchronously, so several directories run side by side. */
export function tf(dir: string, env: NodeJS.ProcessEnv, args: string[]): Promise<TfResult> {
  const start = Date.now();
  return new Promise((resolve) => {
    const p = spawn("terraform", [...args], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (out += d.toString()));
    p.on("close", (code) => resolve({ code, out, ms: Date.now() - start }));
    p.on("error", (e) => resolve({ code: -1, out: `${out}\n${String(e)}`, ms: Date.now() - start }));
  });
}

/** init offline; the committed lock files must already be right (readonly). */
export function tfInit(dir: string, env: NodeJS.ProcessEnv): Promise<TfResult> {
  const locked = existsSync(path.join(dir, ".terraform.lock.hcl"));
  return tf(dir, env, [
    "init",
    "-input=false",
    "-no-color",
    "-backend=false",
    `-plugin-dir=${PLUGIN_DIR}`,
    ...(locked ? ["-lockfile=readonly"] : []),
  ]);
}

/** Parses "Success! 6 passed, 0 failed." / "Failure! 1 passed, 1 failed, 2 skipped." */
export function testCounts(out: string): { passed: number; failed: number; skipped: number } | null {
  const m = /(Success|Failure)! (\d+) passed, (\d+) failed(?:, (\d+) skipped)?\./.exec(out);
  return m ? { passed: Number(m[2]), failed: Number(m[3]), skipped: Number(m[4] ?? 0) } : null;
}

/** Runs jobs with at most `limit` at a time (2 cores shared: keep it small). */
export async function pool<T>(
  items: string[],
  limit: number,
  job: (item: string) => Promise<T>,
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.set(item, await job(item));
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
