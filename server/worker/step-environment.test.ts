import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";

// A real child process, started the way the worker starts a step: it sees only allow-listed variables, and
// in the portal's data folder only the sandbox state it works on.

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "step-env-"));
const stateDir = path.join(dataDir, "sandbox", "growbin-test");
const SECRETS = {
  AUTH_GITHUB_SECRET: "gh-oauth-secret-canary-1",
  PORTAL_METRICS_TOKEN: "metrics-token-canary-22",
  PGPASSWORD: "pg-password-canary-333",
  DATABASE_URL: "postgresql://portal:db-url-canary-4444@127.0.0.1/portal",
  AUTH_SECRET: "auth-secret-env-canary-55555555555555555",
  npm_config__authToken: "npm-token-canary-666666",
};
const saved = { ...process.env };
beforeAll(() => {
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(path.join(stateDir, "seed"), "sandbox state\n");
  fs.writeFileSync(path.join(dataDir, "auth-secret"), "auth-secret-file-canary\n", { mode: 0o600 });
  fs.writeFileSync(
    path.join(dataDir, "postgres-credentials.json"),
    JSON.stringify({ password: "db-password-file-canary" }),
    { mode: 0o600 },
  );
  fs.mkdirSync(path.join(dataDir, "postgres"));
  fs.writeFileSync(path.join(dataDir, "postgres", "pg_hba.conf"), "db-files-canary\n");
  Object.assign(process.env, SECRETS, {
    PORTAL_DATA_DIR: dataDir,
    AWS_SECRET_ACCESS_KEY: "aws-allowed-value",
    TF_VAR_cluster_name: "tf-allowed",
    HOME: os.homedir(),
  });
});
afterAll(() => {
  process.env = saved;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("a step sees allow-listed variables only, and none of the portal's secrets in its environment or data folder", async () => {
  const { isolatedCommand, stepEnvironment } = await import("@/server/worker/step-environment");
  const cluster = { name: "growbin-test", kind: "sandbox" as const, stateDir, links: {} };
  const script = `env; for f in "$D/auth-secret" "$D/postgres-credentials.json" "$D/postgres/pg_hba.conf"; do cat "$f" 2>&1; done; ls -a "$D" "$D/postgres" 2>&1; cat "$SANDBOX_STATE/seed"; echo written > "$SANDBOX_STATE/out"`;
  const { command, args } = isolatedCommand("/bin/sh", ["-c", script], cluster as never);
  const res = spawnSync(command, args, {
    env: { ...stepEnvironment(cluster as never, "run1"), D: dataDir },
    encoding: "utf8",
  });
  const out = res.stdout + res.stderr;
  expect(res.status, out).toBe(0);
  for (const value of [
    ...Object.values(SECRETS),
    "auth-secret-file-canary",
    "db-password-file-canary",
    "db-files-canary",
  ])
    expect(out).not.toContain(value);
  for (const name of Object.keys(SECRETS)) expect(out).not.toMatch(new RegExp(`^${name}=`, "m"));
  // What the step needs does arrive: AWS credentials, Terraform variables, its target, its sandbox state.
  expect(out).toContain("AWS_SECRET_ACCESS_KEY=aws-allowed-value");
  expect(out).toContain("TF_VAR_cluster_name=tf-allowed");
  expect(out).toContain("TARGET=sandbox");
  expect(out).toContain("sandbox state");
  expect(fs.readFileSync(path.join(stateDir, "out"), "utf8")).toBe("written\n");
  // Hidden inside the step's namespace only: the portal still has its files.
  expect(fs.readFileSync(path.join(dataDir, "auth-secret"), "utf8")).toBe("auth-secret-file-canary\n");
});

test("PORTAL_STEP_ENV adds a team's own variables by name or prefix", async () => {
  const { allowedEnvironment } = await import("@/server/worker/step-environment");
  const allowed = allowedEnvironment({
    FIXTURE_MODE: "ok",
    CANARY_X: "1",
    GRAFANA_ADMIN_PASSWORD: "x",
    PATH: "/bin",
    NODE_ENV: "production",
  });
  // vitest.config.mts sets PORTAL_STEP_ENV=FIXTURE_*,CANARY_* for the fixture scripts.
  expect(Object.keys(allowed).sort()).toEqual(["CANARY_X", "FIXTURE_MODE", "PATH"]);
});

test("the hidden list is the data folder minus the way to the step's own folders; symlinks are left alone", async () => {
  const { hiddenPaths } = await import("@/server/worker/step-environment");
  fs.symlinkSync(os.tmpdir(), path.join(dataDir, "link-out"));
  fs.mkdirSync(path.join(dataDir, "sandbox", "other-cluster"), { recursive: true });
  const hidden = hiddenPaths(dataDir, [stateDir])
    .map((p) => path.relative(dataDir, p))
    .sort();
  expect(hidden).toEqual([
    "auth-secret",
    "postgres",
    "postgres-credentials.json",
    path.join("sandbox", "other-cluster"),
  ]);
  expect(hiddenPaths(dataDir, [dataDir])).toEqual([]);
});
