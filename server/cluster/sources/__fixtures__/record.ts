// Records the fixtures of server/cluster tests from a real in-process sandbox: healthy state, then each
// fault the sandbox can inject. Run: node --import tsx server/cluster/sources/__fixtures__/record.ts
import fs from "node:fs";
import path from "node:path";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { sandboxWithClients, tokenOf, waitFor } from "../../../../infra/sandbox/test-helpers";

const out = path.resolve("server/cluster/sources/__fixtures__");

async function main(): Promise<void> {
const sb = await sandboxWithClients({ provisioned: true, cluster: "growbin-sandbox" });
const token = tokenOf(sb.kubeconfigPath);
const get = async (p: string) => (await fetch(`${sb.url}${p}`, { headers: { authorization: `Bearer ${token}` } })).text();
const json = async (p: string) => JSON.parse(await get(p));
const ec2 = new EC2Client({ endpoint: sb.endpoints.ec2.endpoint, region: sb.endpoints.ec2.region, credentials: { accessKeyId: sb.endpoints.ec2.accessKeyId, secretAccessKey: sb.endpoints.ec2.secretAccessKey }, maxAttempts: 1 });
const instances = async () => (await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:Cluster", Values: ["growbin-sandbox"] }] }))).Reservations;
const save = (name: string, body: unknown) => fs.writeFileSync(path.join(out, name), typeof body === "string" ? body : JSON.stringify(body, null, 1) + "\n");
const firstPod = async (prefix: string) => (await json("/api/v1/namespaces/default/pods")).items.find((p: any) => p.metadata.name.startsWith(prefix)).metadata.name;
const fault = async (body: Record<string, string>) => (await sb.admin("POST", "/faults", body)).body;
const heal = async () => sb.admin("POST", "/heal", { all: true });

save("healthy-nodes.json", await json("/api/v1/nodes"));
save("healthy-pods.json", await json("/api/v1/pods"));
save("healthy-readyz.txt", await get("/readyz?verbose"));
save("healthy-apps.json", await json("/apis/argoproj.io/v1alpha1/applications"));
save("healthy-ec2.json", await instances());

await fault({ kind: "node-notready", node: "worker-1" });
save("node-notready-nodes.json", await json("/api/v1/nodes"));
save("node-notready-pods.json", await json("/api/v1/pods?fieldSelector=spec.nodeName%3Dworker-1"));
await heal();

for (const kind of ["pod-crashloop", "pod-imagepull", "pod-oomkilled"]) {
  const name = await firstPod(kind === "pod-oomkilled" ? "ai-worker-" : "auth-service-");
  await fault({ kind, pod: `default/${name}` });
  save(`${kind}.json`, await json(`/api/v1/namespaces/default/pods/${name}`));
  await heal();
}

await fault({ kind: "etcd-unhealthy" });
save("etcd-unhealthy-readyz.txt", await get("/readyz?verbose"));
save("etcd-unhealthy-static-pods.json", await json("/api/v1/namespaces/kube-system/pods?labelSelector=tier%3Dcontrol-plane"));
await heal();

// The queue fixtures come from record-rabbitmq.ts: the management API's *-queues.json can no longer be read
// through the service proxy (it needs basic auth), and the portal reads the Prometheus endpoint instead.

for (const kind of ["app-outofsync", "app-degraded"]) {
  await fault({ kind, app: "waste-service" });
  save(`${kind}-apps.json`, await json("/apis/argoproj.io/v1alpha1/applications"));
  await heal();
}

await fault({ kind: "instance-stopped", instance: "worker-2" });
save("instance-stopped-ec2.json", await instances());
save("instance-stopped-nodes.json", await json("/api/v1/nodes"));
await heal();

ec2.destroy();
await sb.close();
console.log("fixtures written to", out);
}

void main();
