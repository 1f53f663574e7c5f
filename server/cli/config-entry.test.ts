// Every entry point reads portal.config.json the same way when it starts: a cluster added to the
// file is known to the next CLI command and to a worker, with no web server restart.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { throwawayDatabase } from "@/test/throwaway-db";
import { waitFor } from "@/test/run-fixtures";
import { cleanEnv } from "@/test/temp-clone";

const exec = promisify(execFile);
let t: Awaited<ReturnType<typeof throwawayDatabase>>;
const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cfg-entry-")), "portal.config.json");
const writeConfig = (names: string[]) =>
  fs.writeFileSync(
    config,
    JSON.stringify({ clusters: names.map((name) => ({ name, kind: "sandbox", stateDir: `/tmp/${name}-absent` })) }),
  );
beforeAll(async () => {
  t = await throwawayDatabase();
});
afterAll(async () => {
  await t.drop();
  fs.rmSync(path.dirname(config), { recursive: true, force: true });
});
const env = () => cleanEnv({ DATABASE_URL: t.url, PORTAL_CONFIG: config });

test("a cluster added to the config file is known to the next CLI command", async () => {
  writeConfig(["first"]);
  const before = (await exec("bin/growbin.mjs", ["health", "--cluster", "second", "--json"], { env: env() }).then(
    () => ({ code: 0, stderr: "" }),
    (e: { code: number; stderr: string }) => e,
  )) as { code: number; stderr: string };
  expect(before.code).toBe(2);
  expect(before.stderr).toMatch(/unknown cluster "second"; configured: first/);
  writeConfig(["first", "second"]);
  const after = await exec("bin/growbin.mjs", ["health", "--cluster", "second", "--json"], { env: env() }).catch(
    (e: { code: number; stdout: string }) => e,
  );
  expect([3, 4]).toContain((after as { code: number }).code);
  expect(JSON.parse((after as { stdout: string }).stdout)).toMatchObject({ cluster: "second" });
  expect((await t.prisma.cluster.findMany({ orderBy: { name: "asc" } })).map((c) => c.name)).toEqual([
    "first",
    "second",
  ]);
});

test("a worker started after the change knows the new cluster, without the web server", async () => {
  writeConfig(["first", "second", "third"]);
  const worker = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/worker/main.ts"], {
    env: env(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  worker.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  worker.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => worker.on("exit", (code) => r(code)));
  await waitFor(() => t.prisma.cluster.findUnique({ where: { name: "third" } }), "the worker to mirror the config");
  await waitFor(async () => out.includes('"msg":"worker started"'), "the worker to start");
  worker.kill("SIGTERM");
  expect(await exited).toBe(0);
});
