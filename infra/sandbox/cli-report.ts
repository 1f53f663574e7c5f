// Human reports for `status` and `check`: name what is wrong, not just that something is.
import { admin, sandboxRequest } from "./cli-client";
import type { Endpoints } from "./state-dir";

// One line on what state an operation left behind.
export function describeState(s: any): string {
  if (!s) return "unknown";
  return `phases done [${s.phasesDone.join(", ") || "none"}], nodes ${s.nodes.ready}/${s.nodes.total} Ready, pods ${s.pods.running}/${s.pods.total} Running, instances ${s.instances.length}`;
}

// Prints the status summary.
export function printStatus(s: any): void {
  console.log(`cluster ${s.cluster}${s.operation ? ` (${s.operation} running)` : ""}`);
  console.log(`phases done: ${s.phasesDone.join(", ") || "none (never provisioned)"}`);
  console.log(`instances: ${s.instances.map((i: any) => `${i.node}=${i.state}`).join(", ") || "none"}`);
  console.log(
    `nodes: ${s.nodes.ready}/${s.nodes.total} Ready${s.nodes.notReady.length ? ` (NotReady: ${s.nodes.notReady.join(", ")})` : ""}`,
  );
  console.log(`pods: ${s.pods.running}/${s.pods.total} Running`);
  for (const p of s.pods.unhealthy) console.log(`  unhealthy: ${p}`);
  console.log(
    `argo cd: ${s.applications.map((a: any) => `${a.name}=${a.sync}/${a.health}`).join(", ") || "no applications"}`,
  );
  console.log(`queues: ${s.queues === "rabbitmq" ? "real RabbitMQ" : "modeled"}`);
  console.log(`faults: ${s.faults.map((f: any) => `${f.id} (${f.kind} on ${f.target})`).join(", ") || "none"}`);
}

function readyz(ep: Endpoints): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    sandboxRequest(ep, "GET", "/readyz?verbose", {}, (res) => {
      let b = "";
      res.on("data", (c) => (b += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: b }));
    })
      .on("error", reject)
      .end();
  });
}

// Runs one check and prints its report; returns the exit code (0 healthy, 1 not).
export async function runCheck(ep: Endpoints, what: "cluster" | "etcd" | "monitoring"): Promise<number> {
  const s = await admin(ep, "GET", "/status");
  const problems: string[] = [];
  if (what === "etcd") {
    const r = await readyz(ep);
    const etcd = r.body.split("\n").filter((l) => l.includes("etcd"));
    console.log(`apiserver /readyz: ${r.status === 200 ? "ok" : `HTTP ${r.status}`}`);
    for (const l of etcd) console.log(`  ${l}`);
    if (!s.etcd.healthy)
      problems.push("etcd is unhealthy: the apiserver's etcd readiness check fails and etcd-master is not Ready");
  } else if (what === "monitoring") {
    console.log(`monitoring pods: ${s.monitoring.ready}/${s.monitoring.total} Ready`);
    if (!s.monitoring.total) problems.push("the monitoring stack is not installed (provision the monitoring phase)");
    else if (s.monitoring.ready < s.monitoring.total)
      problems.push(`${s.monitoring.total - s.monitoring.ready} monitoring pod(s) not Ready`);
    for (const p of s.pods.unhealthy.filter((x: string) => x.startsWith("monitoring/"))) problems.push(p);
  } else {
    printStatus(s);
    if (!s.nodes.total) problems.push("no nodes: the cluster is not provisioned");
    if (s.nodes.notReady.length) problems.push(`node(s) NotReady: ${s.nodes.notReady.join(", ")}`);
    for (const p of s.pods.unhealthy) problems.push(`pod ${p}`);
    if (!s.etcd.healthy && s.nodes.total) problems.push("etcd is unhealthy");
    for (const a of s.applications)
      if (a.sync !== "Synced" || a.health !== "Healthy")
        problems.push(`Argo CD app ${a.name} is ${a.sync}/${a.health}`);
    for (const i of s.instances) if (i.state !== "running") problems.push(`EC2 instance of ${i.node} is ${i.state}`);
  }
  if (problems.length) {
    console.log(`UNHEALTHY (${problems.length} problem${problems.length > 1 ? "s" : ""}):`);
    for (const p of problems) console.log(`  - ${p}`);
    return 1;
  }
  console.log(`${what}: healthy`);
  return 0;
}
