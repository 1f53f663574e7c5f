// Starts the portal as a new user would (`npm start` with no DATABASE_URL: embedded PostgreSQL, local
// sign-in, one sandbox cluster), in a fresh data folder, and records the printed admin password.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const STATE_FILE = path.resolve("e2e/.state.json");

export default async function globalSetup() {
  const port = Number(process.env.E2E_PORT ?? 3100);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-e2e-"));
  fs.chmodSync(dataDir, 0o711);
  const config = path.join(dataDir, "portal.config.json");
  const sandboxState = path.join(dataDir, "sandbox");
  fs.writeFileSync(
    config,
    JSON.stringify({
      clusters: [{ name: "growbin-sandbox", kind: "sandbox", stateDir: sandboxState, timeScale: 0.05 }],
    }),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    PORTAL_DATA_DIR: dataDir,
    PORTAL_CONFIG: config,
    NEXT_TELEMETRY_DISABLED: "1",
    PORTAL_HEARTBEAT_MS: "1000",
    PORTAL_HEALTH_COLLECT_MS: "2000",
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/cli/start.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const logFile = path.join(dataDir, "portal.log");
  const out = fs.createWriteStream(logFile);
  let text = "";
  const onData = (b: Buffer) => {
    text += b.toString();
    out.write(b);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const deadline = Date.now() + 240_000;
  let password: string | undefined;
  while (Date.now() < deadline) {
    password ??= /created user "admin" with password (\S+)/.exec(text)?.[1];
    if (child.exitCode !== null) {
      // Playwright skips the teardown when set-up fails: leave no sandbox server behind.
      spawnSync(process.execPath, ["--import", "tsx", "infra/sandbox/cli.ts", "down", "--state", sandboxState], {
        stdio: "ignore",
      });
      throw new Error(`the portal exited during start-up:\n${text.slice(-3000)}`);
    }
    if (password && text.includes("Growbin Ops Portal on")) {
      const ok = await fetch(`http://localhost:${port}/signin`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!password) throw new Error(`no admin password was printed:\n${text.slice(-3000)}`);
  // The sandbox serves HTTPS from its own cluster CA: Playwright's workers, started after this, trust it for fetch().
  process.env.NODE_EXTRA_CA_CERTS = path.join(sandboxState, "pki", "ca.crt");
  fs.writeFileSync(
    STATE_FILE,
    JSON.stringify({
      pid: child.pid,
      port,
      dataDir,
      config,
      sandboxState,
      logFile,
      admin: { username: "admin", password },
    }),
    { mode: 0o600 },
  );
  child.unref();
}
