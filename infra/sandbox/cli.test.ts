import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { alive, readEndpoints, runningPid } from "./state-dir";
import { tempDir, waitFor } from "./test-helpers";

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const CLI = path.join(ROOT, "infra/sandbox/cli.ts");
const dir = tempDir("sandbox-cli-");
const cli = (...args: string[]) =>
  spawnSync(TSX, [CLI, ...args, "--state", dir], {
    encoding: "utf8",
    cwd: ROOT,
    env: { ...process.env, SANDBOX_TIME_SCALE: "0.01" },
    timeout: 60_000,
  });

beforeAll(() => {
  const r = cli("up");
  expect(r.status, r.stderr).toBe(0);
});
afterAll(() => {
  cli("down");
  fs.rmSync(dir, { recursive: true, force: true });
});

test("up writes 0600 kubeconfigs (admin.conf, reader, operator) and endpoints.json, and runs detached on loopback over HTTPS", () => {
  const ep = readEndpoints(dir)!;
  expect(ep.kubernetes).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(ep.ec2).toMatchObject({ endpoint: `${ep.kubernetes}/ec2`, region: "ap-northeast-2" });
  expect(ep.rabbitmqManagement).toBeNull();
  expect(ep.kubeconfigs.admin).toBe(path.join(dir, "admin.conf"));
  for (const f of [
    "endpoints.json",
    "admin.conf",
    "reader.kubeconfig",
    "operator.kubeconfig",
    "pki/ca.key",
    "pki/sa.key",
  ])
    expect(fs.statSync(path.join(dir, f)).mode & 0o777, f).toBe(0o600);
  expect(fs.readFileSync(ep.kubeconfigs.admin, "utf8")).not.toContain("insecure-skip-tls-verify");
  expect(runningPid(dir)).toBe(ep.pid);
});

test("a second up errors clearly, up --if-down exits 0, a used port is named", async () => {
  const again = cli("up");
  expect(again.status).toBe(1);
  expect(again.stderr).toMatch(/already running/);
  expect(cli("up", "--if-down").status).toBe(0);
  const other = tempDir("sandbox-cli-port-");
  const busy = net.createServer().listen(0, "127.0.0.1");
  await new Promise((r) => busy.once("listening", r));
  const port = String((busy.address() as net.AddressInfo).port);
  const r = spawnSync(TSX, [CLI, "up", "--port", port, "--state", other], { encoding: "utf8", cwd: ROOT });
  busy.close();
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(new RegExp(`port ${port} on 127.0.0.1 is already in use`));
  fs.rmSync(other, { recursive: true, force: true });
});

test("provision prints honest sandbox: lines; status, fault, check and heal report the truth", () => {
  const p = cli("provision");
  expect(p.status, p.stderr).toBe(0);
  expect(
    p.stdout
      .split("\n")
      .filter(Boolean)
      .every((l) => l.startsWith("sandbox: ")),
  ).toBe(true);
  expect(cli("check", "cluster").status).toBe(0);
  const bad = cli("fault", "node-notready", "--node", "worker-9");
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/unknown node "worker-9"/);
  const f = cli("fault", "etcd-unhealthy");
  expect(f.status).toBe(0);
  const etcd = cli("check", "etcd");
  expect(etcd.status).toBe(1);
  expect(etcd.stdout).toMatch(/\[-\]etcd failed/);
  const s = JSON.parse(cli("status", "--json").stdout);
  expect(s.faults[0].kind).toBe("etcd-unhealthy");
  expect(s.nodes).toMatchObject({ total: 4, ready: 4 });
  expect(cli("heal", "--all").status).toBe(0);
  expect(cli("check", "etcd").status).toBe(0);
  expect(cli("load", "--queue", "q.ai", "--messages", "10").stdout).toMatch(/published 10/);
});

test("usage errors exit 2", () => {
  expect(cli("frobnicate").status).toBe(2);
  expect(cli("provision", "--phase", "nope").status).toBe(2);
  expect(cli("fault").status).toBe(2);
});

let phasesLeft: string[] = [];

test("SIGINT during provision stops the operation, reports the state left, exits 130", async () => {
  expect(cli("teardown").status).toBe(0);
  const child = spawn(TSX, [CLI, "provision", "--state", dir], { cwd: ROOT, env: { ...process.env } });
  let out = "";
  child.stdout.on("data", (c) => (out += c));
  await waitFor(() => out.includes("phase kubernetes: started"), "provision to reach kubernetes", 30_000);
  // tsx forwards the signal to the CLI process it runs.
  child.kill("SIGINT");
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  expect(code).toBe(130);
  // How far it got depends on the machine's speed; what matters is that it stopped mid-way and says where.
  const left = /sandbox: stopped; state left: phases done \[([a-z, -]*)\]/.exec(out);
  expect(left).not.toBeNull();
  phasesLeft = left![1]!.split(", ");
  expect(phasesLeft[0]).toBe("infra");
  expect(phasesLeft).toContain("os");
  expect(phasesLeft).not.toContain("apps");
});

test("down stops the server, state persists, and commands then exit 3", () => {
  const pid = readEndpoints(dir)!.pid;
  expect(cli("down").status).toBe(0);
  expect(runningPid(dir)).toBeNull();
  expect(alive(pid)).toBe(false);
  const s = cli("status");
  expect(s.status).toBe(3);
  expect(s.stderr).toMatch(/npm run sandbox -- up --state/);
  expect(cli("up").status).toBe(0);
  expect(JSON.parse(cli("status", "--json").stdout).phasesDone).toEqual(phasesLeft);
});
