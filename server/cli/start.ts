// npm start - the one command: database (embedded when DATABASE_URL is unset), migrations, clusters,
// first admin, sandbox, then the web server and a worker as children. Ctrl-C stops them all.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/server/env";
import { loadClusterConfig } from "@/server/config/clusters";
import { resolveDatabase } from "@/server/db/resolve-database";
import { db } from "@/server/db";
import { syncClusters } from "@/server/bootstrap/sync-clusters";
import { ensureFirstAdmin } from "@/server/bootstrap/ensure-admin";
import { ensureSandboxes, stopSandboxes } from "@/server/bootstrap/ensure-sandboxes";
import { runMain } from "@/server/cli/run-main";
import { leanEnvironment } from "@/server/lean-memory";

const dev = process.argv.includes("--dev");
const bin = (name: string) => path.resolve("node_modules/.bin", name);

function authSecret(dataDir: string): string {
  const configured = env().AUTH_SECRET;
  if (configured) return configured;
  // Generated once per data folder, so sessions survive restarts; set AUTH_SECRET when running several web servers.
  const file = path.join(dataDir, "auth-secret");
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(48).toString("base64url"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

runMain(async () => {
  const e = env();
  const dataDir = path.resolve(e.PORTAL_DATA_DIR);
  const clusters = loadClusterConfig(e.PORTAL_CONFIG, dataDir);
  const database = await resolveDatabase();
  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : null)));
    await stopSandboxes(clusters);
    await db().$disconnect();
    await database.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  await syncClusters(db(), clusters);
  const localLogin = e.PORTAL_LOCAL_LOGIN ?? database.embedded;
  if (localLogin) {
    const admin = await ensureFirstAdmin(db());
    if (admin) {
      // Printed once, here, and never stored in plain text: note it now.
      console.log(`\n  First start: created user "${admin.username}" with password ${admin.password}\n  (shown only this once; it is stored as a hash)\n`);
    }
  }
  await ensureSandboxes(clusters);

  const childEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    AUTH_SECRET: authSecret(dataDir),
    PORTAL_LOCAL_LOGIN: String(localLogin),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  if (!dev && !fs.existsSync(".next/BUILD_ID")) {
    console.log("No production build yet: running `next build` once (a few minutes on 2 cores)...");
    const built = spawnSync(bin("next"), ["build"], { stdio: "inherit", env: childEnv });
    if (built.status !== 0) throw new Error("next build failed");
  }
  const web = spawn(bin("next"), [dev ? "dev" : "start", "-p", String(e.PORT)], { stdio: "inherit", env: dev ? childEnv : leanEnvironment(childEnv, { nodeOptions: true }) });
  // node --import tsx keeps the worker one process, so signals reach it directly.
  const worker = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/worker/main.ts"], { stdio: "inherit", env: childEnv });
  children.push(web, worker);
  for (const c of children) c.on("exit", (code) => void stop(code ?? 1));
  console.log(`Growbin Ops Portal on http://localhost:${e.PORT} (${database.embedded ? "embedded PostgreSQL" : "DATABASE_URL"})`);
  await new Promise(() => undefined);
});
