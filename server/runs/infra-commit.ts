import "server-only";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

// The git commit of infra/ that a run uses, recorded on the run for reviewers.
const run = promisify(execFile);

/** The last commit touching infra/, with "-dirty" when infra/ has uncommitted changes; null outside git. */
export async function infraCommit(): Promise<string | null> {
  try {
    const { stdout } = await run("git", ["log", "-1", "--format=%H", "--", "infra"], { timeout: 5_000 });
    const dirty = (await run("git", ["status", "--porcelain", "--", "infra"], { timeout: 5_000 })).stdout.trim() !== "";
    return stdout.trim() ? `${stdout.trim()}${dirty ? "-dirty" : ""}` : null;
  } catch {
    return null;
  }
}
