import "server-only";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/server/env";

// The AWS SDK prints a 7-line notice on every process that makes an EC2 client under Node < 22. The
// CLI's launchers turn it off (package.json "cli", bin/growbin.mjs); the fact still matters to
// whoever maintains the machine, so it is said here in one line, once per data folder.

/** Prints the one-line Node-version notice the first time the CLI runs on Node < 22 in this data folder. */
export function nodeVersionNoticeOnce(): void {
  const major = Number(process.versions.node.split(".")[0]);
  if (major >= 22) return;
  const dir = path.resolve(env().PORTAL_DATA_DIR);
  const marker = path.join(dir, "node-version-notice");
  try {
    if (fs.existsSync(marker)) return;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(marker, `${process.version}\n`);
  } catch {
    return; // a data folder we cannot write is reported by the command itself
  }
  console.error(
    `note: Node ${process.version}: AWS SDK releases after January 2027 need Node 22 or later (https://a.co/c895JFp); shown once`,
  );
}
