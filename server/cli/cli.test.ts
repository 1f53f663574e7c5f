import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FIXTURE_SCRIPTS, runTestDatabase } from "@/test/run-fixtures";

const run = promisify(execFile);
let t: Awaited<ReturnType<typeof runTestDatabase>>;
// The CLI knows the clusters of the config file, as every entry point does.
const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cli-config-")), "portal.config.json");
fs.writeFileSync(
  config,
  JSON.stringify({ clusters: [{ name: "growbin-test", kind: "sandbox", stateDir: "/tmp/growbin-test-sandbox" }] }),
);
beforeAll(async () => {
  t = await runTestDatabase();
});
afterAll(async () => {
  await t.drop();
  fs.rmSync(path.dirname(config), { recursive: true, force: true });
});

function cli(args: string[], mode: string) {
  return run(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/cli/main.ts", ...args], {
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      PORTAL_CONFIG: config,
      PORTAL_SCRIPTS_DIR: FIXTURE_SCRIPTS,
      FIXTURE_MODE: mode,
      PORTAL_HEARTBEAT_MS: "200",
    },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

test("with no worker alive the CLI runs the pipeline itself, streams its log, records it as cli:<user>, and exits 0 on success", async () => {
  const r = await cli(["verify", "--cluster", "growbin-test", "--reason", "from a terminal"], "ok");
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/no worker claimed it: this terminal runs the run itself/);
  expect(r.stdout).toContain("cluster ok");
  expect(r.stderr).toMatch(/run \S+ succeeded/);
  const runRow = await t.prisma.run.findFirst({ where: { reason: "from a terminal" } });
  expect(runRow).toMatchObject({ status: "succeeded", requestedBy: `cli:${os.userInfo().username}` });
});

test("a failing run makes the CLI exit non-zero", async () => {
  const r = await cli(["verify", "--cluster", "growbin-test"], "fail");
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/run \S+ failed/);
});

test("bad command lines exit 2 before anything is queued; a destructive pipeline needs --yes from a script", async () => {
  const before = await t.prisma.run.count();
  expect((await cli(["frobnicate", "--cluster", "growbin-test"], "ok")).code).toBe(2);
  expect((await cli(["reset-node", "--cluster", "growbin-test", "--node", "master; reboot"], "ok")).code).toBe(2);
  const teardown = await cli(["teardown", "--cluster", "growbin-test"], "ok");
  expect(teardown.code).toBe(2);
  expect(teardown.stderr).toMatch(/pass --yes/);
  expect(await t.prisma.run.count()).toBe(before);
});
