// The CLI as a script or a terminal meets it: real child processes, through a pipe and a pty.
import { execFile, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FIXTURE_SCRIPTS } from "@/test/run-fixtures";
import { ADMIN_URL, throwawayDatabase } from "@/test/throwaway-db";
import { cleanEnv } from "@/test/temp-clone";

const exec = promisify(execFile);
type Result = { code: number; stdout: string; stderr: string };
let t: Awaited<ReturnType<typeof throwawayDatabase>>;
const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cli-config-")), "portal.config.json");
fs.writeFileSync(
  config,
  JSON.stringify({
    clusters: [{ name: "growbin-test", kind: "sandbox", stateDir: "/tmp/growbin-test-sandbox-absent" }],
  }),
);
beforeAll(async () => {
  t = await throwawayDatabase();
});
afterAll(async () => {
  await t.drop();
  fs.rmSync(path.dirname(config), { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) =>
  cleanEnv({
    DATABASE_URL: t.url,
    PORTAL_CONFIG: config,
    PORTAL_SCRIPTS_DIR: FIXTURE_SCRIPTS,
    PORTAL_HEARTBEAT_MS: "200",
    ...extra,
  });

function sh(command: string, extra: Record<string, string> = {}): Promise<Result> {
  return exec("bash", ["-c", command], { env: env(extra) }).then(
    (r) => ({ code: 0, ...r }),
    (e: Result) => e,
  );
}

// jq as the user typed it; where it is not installed, node reads the pipe the same way.
const hasJq = spawnSync("jq", ["--version"]).status === 0;
const CLUSTER_OF_JSON = hasJq
  ? "jq -r .cluster"
  : `node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).cluster + "\\n")'`;
const AWS_NOTICE = /NodeVersionSupportWarning|AWS SDK for JavaScript/;

test("health --json through a pipe: stdout is only the JSON, from bin/growbin.mjs and from npm run -s; no AWS SDK notice; the exit code says degraded/down", async () => {
  for (const cli of ["bin/growbin.mjs", "npm run -s cli --"]) {
    const r = await sh(
      `${cli} health --cluster growbin-test --json | ${CLUSTER_OF_JSON}; echo "health exit \${PIPESTATUS[0]}"`,
    );
    expect(r.stdout.trim().split("\n"), cli).toEqual(["growbin-test", expect.stringMatching(/^health exit [34]$/)]);
    expect(r.stderr, cli).not.toMatch(AWS_NOTICE);
  }
});

test("usage errors exit 2 with one line: an unknown cluster, an unknown option, an unknown command", async () => {
  const unknown = await sh("bin/growbin.mjs health --cluster nope");
  expect(unknown.code).toBe(2);
  expect(unknown.stderr.trim()).toBe(
    'error: unknown cluster "nope"; configured: growbin-test (see portal.config.json)',
  );
  const option = await sh("bin/growbin.mjs health --clutser growbin-test");
  expect(option.code).toBe(2);
  expect(option.stderr).toMatch(/^error: Unknown option '--clutser'/);
  expect((await sh("bin/growbin.mjs frobnicate --cluster growbin-test")).code).toBe(2);
  const help = await sh("bin/growbin.mjs --help");
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/exit codes: 0 ok, 1 failed, 2 usage error/);
});

test("health as the first command on an empty database migrates it first (no 'table does not exist')", async () => {
  const name = `portal_test_${crypto.randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const r = await sh("bin/growbin.mjs health --cluster growbin-test --json", { DATABASE_URL: url.toString() });
    expect(r.stderr).not.toMatch(/does not exist|unexpected/);
    expect([3, 4]).toContain(r.code);
    expect(JSON.parse(r.stdout)).toMatchObject({ cluster: "growbin-test" });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});

test("on a terminal, a step's escape sequences are removed from the log the CLI prints; through a pipe the text is left as logged", async () => {
  // `script` gives the CLI a pseudo-terminal, as an operator's shell would.
  const tty = await sh(`script -qec "bin/growbin.mjs verify --cluster growbin-test --reason tty" /dev/null`, {
    FIXTURE_MODE: "escapes",
  });
  expect(tty.stdout).toMatch(/real error/);
  expect(tty.stdout).toMatch(/FAKE: all good/);
  expect(tty.stdout).toMatch(/ red/);
  expect(tty.stdout).not.toMatch(/\x1b|\x07/);
  const piped = await sh(`bin/growbin.mjs verify --cluster growbin-test --reason piped | cat`, {
    FIXTURE_MODE: "escapes",
  });
  expect(piped.stdout).toContain("\x1b[31mred");
});

test("a data folder that cannot be used stops the CLI and npm start with one line naming it, the cause and the fix", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "not-a-folder-")), "data");
  fs.writeFileSync(file, "a file where the data folder should be");
  const cliRun = await exec("bin/growbin.mjs", ["user", "add", "bob", "--role", "viewer"], {
    env: cleanEnv({ PORTAL_DATA_DIR: file, PORTAL_CONFIG: config }),
  }).then(
    () => ({ code: 0, stderr: "" }),
    (e: Result) => e,
  );
  expect(cliRun.code).toBe(1);
  expect(cliRun.stderr.trim()).toMatch(
    new RegExp(
      `^error: cannot use the data folder ${file}: E[A-Z]+; set PORTAL_DATA_DIR to a folder you can write, or set DATABASE_URL$`,
    ),
  );
  const start = await exec(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/cli/start.ts"], {
    env: env({ PORTAL_DATA_DIR: file }),
  }).then(
    () => ({ code: 0, stderr: "" }),
    (e: Result) => e,
  );
  expect(start.code).toBe(1);
  expect(start.stderr.trim()).toMatch(
    new RegExp(`^error: cannot use the data folder ${file}: E[A-Z]+; set PORTAL_DATA_DIR to a folder you can write$`),
  );
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});
