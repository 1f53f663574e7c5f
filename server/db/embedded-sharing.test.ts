// The embedded server is shared by the portal's processes (npm start, the worker, the CLI): the one
// that started it must not stop it under another that still uses it, and the last one out stops it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { expect, test } from "vitest";
import { waitFor } from "@/test/run-fixtures";

function hold(dir: string) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "server/db/__fixtures__/hold-embedded.ts", dir],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return {
    opened: () =>
      waitFor(async () => /^open (\S+) (true|false)$/m.exec(out), "the server to open", 60_000).then((m) => ({
        url: m[1]!,
        owned: m[2] === "true",
      })),
    leave: async () => {
      child.stdin.write("stop\n");
      return exited;
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  c.on("error", () => undefined);
  try {
    await c.connect();
    await c.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

test("the process that started the server leaves first: the server stays up for the one still using it, which then stops it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "embedded-share-"));
  const cli = hold(dir);
  const first = await cli.opened();
  expect(first.owned).toBe(true);
  const web = hold(dir);
  const second = await web.opened();
  expect(second).toEqual({ url: first.url, owned: false });

  expect(await cli.leave()).toBe(0);
  expect(await answers(second.url)).toBe(true);

  const { pid } = JSON.parse(fs.readFileSync(path.join(dir, "postgres-running.json"), "utf8")) as { pid: number };
  expect(await web.leave()).toBe(0);
  expect(fs.existsSync(path.join(dir, "postgres-running.json"))).toBe(false);
  expect(await answers(second.url)).toBe(false);
  await waitFor(async () => {
    try {
      process.kill(pid, 0);
      return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] === "Z";
    } catch {
      return true;
    }
  }, "the server process to end");
  fs.rmSync(dir, { recursive: true, force: true });
}, 120_000);
