// The sandbox CLI: `npm run sandbox -- <command> --state DIR`. Exit 0 ok, 1 failure, 2 usage, 3 not running, 130 interrupted.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { numFlag, parseArgs, strFlag, UsageError, USAGE, type Args } from "./cli-args";
import { admin, Failed, liveEndpoints, NotRunning, streamOp } from "./cli-client";
import { describeState, runCheck, printStatus } from "./cli-report";
import { readSavedPlan, writePlanFiles } from "./plan-files";
import { alive, readEndpoints, resolveStateDir, runningPid } from "./state-dir";
import { FAULT_KINDS, PHASES, type SandboxOptions } from "./types";

const HERE = path.dirname(path.resolve(process.argv[1] ?? "infra/sandbox/cli.ts"));

async function up(dir: string, a: Args): Promise<number> {
  const pid = runningPid(dir);
  if (pid) {
    if (a.flags["if-down"]) return 0;
    throw new Failed(
      `a sandbox is already running on ${dir} (pid ${pid}, ${readEndpoints(dir)?.kubernetes ?? "?"}); stop it with: npm run sandbox -- down --state ${dir}`,
    );
  }
  const f = a.flags;
  const opts: SandboxOptions = {
    stateDir: dir,
    port: numFlag(f, "port", 0, 65535) ?? 0,
    cluster: strFlag(f, "cluster"),
    timeScale: numFlag(f, "time-scale", 0, 100),
    provisioned: !!f.provisioned,
    nodes: numFlag(f, "nodes", 1, 5000),
    podsPerNode: numFlag(f, "pods-per-node", 0, 110),
    amqpUrl: strFlag(f, "amqp-url"),
    rabbitmqApi: strFlag(f, "rabbitmq-api"),
    rabbitmqVhost: strFlag(f, "rabbitmq-vhost"),
  };
  if (opts.cluster && !/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/.test(opts.cluster))
    throw new UsageError("--cluster must be a DNS label (lowercase letters, digits, '-')");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.rmSync(path.join(dir, "server.error"), { force: true });
  const log = fs.openSync(path.join(dir, "server.log"), "a");
  const loader = pathToFileURL(path.join(path.dirname(require.resolve("tsx/package.json")), "dist/loader.mjs")).href;
  const child = spawn(process.execPath, ["--import", loader, path.join(HERE, "server-main.ts"), JSON.stringify(opts)], {
    detached: true,
    stdio: ["ignore", log, log],
    env: process.env,
  });
  child.unref();
  let exited = false;
  child.on("exit", () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const ep = readEndpoints(dir);
    if (ep && ep.pid === child.pid && runningPid(dir) === child.pid) {
      console.log(
        `sandbox: up on ${ep.kubernetes} (pid ${ep.pid}); kubeconfig ${ep.kubeconfigs.admin} (kubectl --kubeconfig ${ep.kubeconfigs.admin} get nodes), endpoints ${path.join(dir, "endpoints.json")}`,
      );
      return 0;
    }
    if (exited) {
      const why = fs.existsSync(path.join(dir, "server.error"))
        ? fs.readFileSync(path.join(dir, "server.error"), "utf8")
        : `see ${path.join(dir, "server.log")}`;
      throw new Failed(`sandbox failed to start: ${why}`);
    }
  }
  process.kill(child.pid!, "SIGTERM");
  throw new Failed(`sandbox did not come up within 60 s; see ${path.join(dir, "server.log")}`);
}

async function operation(dir: string, pathName: string, body: unknown): Promise<number> {
  const ep = liveEndpoints(dir);
  let interrupted = false;
  const onSig = () => {
    if (interrupted) return;
    interrupted = true;
    console.log("sandbox: interrupt received; asking the server to stop the operation");
    void admin(ep, "POST", "/cancel").catch(() => {});
  };
  process.on("SIGINT", onSig);
  process.on("SIGTERM", onSig);
  try {
    const r = await streamOp(ep, pathName, body, (l) => console.log(l));
    if (interrupted || r.cancelled) {
      console.log(`sandbox: stopped; state left: ${describeState(r.state)}`);
      return 130;
    }
    if (!r.ok) throw new Failed(r.error ?? "operation failed");
    return 0;
  } finally {
    process.off("SIGINT", onSig);
    process.off("SIGTERM", onSig);
  }
}

async function down(dir: string): Promise<number> {
  const pid = runningPid(dir);
  if (!pid) {
    console.log(`sandbox: not running on ${dir}; nothing to stop`);
    return 0;
  }
  const ep = readEndpoints(dir);
  if (ep) await admin(ep, "POST", "/shutdown").catch(() => process.kill(pid, "SIGTERM"));
  else process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, "SIGKILL");
  console.log(`sandbox: stopped (pid ${pid}); state kept in ${dir}`);
  return 0;
}

// --plan FILE: the saved plan to apply, for the infra phase only.
function planFlag(f: Args["flags"], phase: string | undefined): unknown {
  const file = strFlag(f, "plan");
  if (file === undefined) return undefined;
  if (phase !== "infra") throw new UsageError("--plan needs --phase infra");
  return readSavedPlan(file);
}

async function run(a: Args): Promise<number> {
  const dir = resolveStateDir(strFlag(a.flags, "state"));
  const f = a.flags;
  switch (a.command) {
    case "up":
      return up(dir, a);
    case "down":
      return down(dir);
    case "provision": {
      const phase = strFlag(f, "phase");
      if (phase && !(PHASES as readonly string[]).includes(phase))
        throw new UsageError(`unknown phase "${phase}"; phases: ${PHASES.join(", ")}`);
      return operation(dir, "/provision", { phase, plan: planFlag(f, phase) });
    }
    case "teardown": {
      const phase = strFlag(f, "phase");
      if (phase && phase !== "components" && phase !== "infra")
        throw new UsageError("--phase must be components or infra");
      return operation(dir, "/teardown", { phase, plan: planFlag(f, phase) });
    }
    case "plan": {
      for (const l of await writePlanFiles(liveEndpoints(dir), strFlag(f, "action"), strFlag(f, "out"))) console.log(l);
      return 0;
    }
    case "reset-node": {
      const node = strFlag(f, "node");
      if (!node) throw new UsageError("reset-node needs --node NAME");
      return operation(dir, "/reset-node", { node });
    }
    case "status": {
      const s = await admin(liveEndpoints(dir), "GET", "/status");
      if (f.json) console.log(JSON.stringify(s, null, 2));
      else printStatus(s);
      return 0;
    }
    case "check": {
      const what = a.positionals[0];
      if (what !== "cluster" && what !== "etcd" && what !== "monitoring")
        throw new UsageError("check needs one of: cluster, etcd, monitoring");
      return runCheck(liveEndpoints(dir), what);
    }
    case "fault": {
      const kind = a.positionals[0];
      if (!kind || !(FAULT_KINDS as readonly string[]).includes(kind))
        throw new UsageError(`fault needs a kind: ${FAULT_KINDS.join(", ")}`);
      const fault = await admin(liveEndpoints(dir), "POST", "/faults", {
        kind,
        node: strFlag(f, "node"),
        pod: strFlag(f, "pod"),
        app: strFlag(f, "app"),
        queue: strFlag(f, "queue"),
        instance: strFlag(f, "instance"),
      });
      console.log(
        `sandbox: fault ${fault.id} injected (${fault.kind} on ${fault.target}); undo with: npm run sandbox -- heal ${fault.id} --state ${dir}`,
      );
      return 0;
    }
    case "heal": {
      const id = a.positionals[0];
      if (!id && !f.all) throw new UsageError("heal needs a fault id or --all");
      const healed: any[] = await admin(liveEndpoints(dir), "POST", "/heal", id ? { id } : { all: true });
      console.log(
        healed.length
          ? healed.map((h) => `sandbox: healed ${h.id} (${h.kind} on ${h.target})`).join("\n")
          : "sandbox: no active faults",
      );
      return 0;
    }
    case "load": {
      const queue = strFlag(f, "queue") ?? "q.ai";
      const messages = numFlag(f, "messages", 1, 100_000) ?? 100;
      const r = await admin(liveEndpoints(dir), "POST", "/load", { queue, messages, consume: !!f.consume });
      console.log(
        f.consume
          ? `sandbox: consumed ${r.consumed} message(s) from ${queue}`
          : `sandbox: published ${r.published} message(s) to ${queue}`,
      );
      return 0;
    }
    case "":
    case "help":
      console.log(USAGE);
      return a.command ? 0 : 2;
    default:
      throw new UsageError(`unknown command "${a.command}"`);
  }
}

async function main(): Promise<void> {
  let code: number;
  try {
    code = await run(parseArgs(process.argv.slice(2)));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`sandbox: ${e.message}\n${USAGE}`);
      code = 2;
    } else if (e instanceof NotRunning) {
      console.error(`sandbox: ${e.message}`);
      code = 3;
    } else {
      console.error(`sandbox: ${(e as Error).message}`);
      code = 1;
    }
  }
  process.exit(code);
}

void main();
