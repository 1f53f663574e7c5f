// Records Alertmanager's /api/v2/alerts from an in-process sandbox with faults active (crash loop, node not ready,
// etcd down) and one silence, with the nodes and pods of the same moment. Run: node --import tsx server/cluster/sources/__fixtures__/record-alerts.ts
import fs from "node:fs";
import path from "node:path";
import { sandboxWithClients, waitFor } from "../../../../infra/sandbox/test-helpers";

const out = path.resolve("server/cluster/sources/__fixtures__");
const AM = "/api/v1/namespaces/monitoring/services/kube-prometheus-stack-alertmanager:9093/proxy/api/v2";

async function main(): Promise<void> {
  // Time scale 0.001: the rules' 15-minute `for:` passes in under a second.
  const sb = await sandboxWithClients({ provisioned: true, cluster: "growbin-sandbox", timeScale: 0.001 });
  const json = async (p: string, init?: RequestInit) => (await fetch(`${sb.url}${p}`, init)).json();
  const save = (name: string, body: unknown) => fs.writeFileSync(path.join(out, name), JSON.stringify(body, null, 1) + "\n");
  const pod = (await json("/api/v1/namespaces/default/pods")).items.find((p: any) => p.metadata.name.startsWith("auth-service-")).metadata.name;
  await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod}` });
  await sb.admin("POST", "/faults", { kind: "node-notready", node: "worker-2" });
  await sb.admin("POST", "/faults", { kind: "etcd-unhealthy" });
  const now = Date.now();
  await json(`${AM}/silences`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ matchers: [{ name: "alertname", value: "KubeNodeUnreachable", isRegex: false }], startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3600_000).toISOString(), createdBy: "record-alerts", comment: "known: worker-2 is being replaced" }) });
  const want = ["KubePodCrashLooping", "KubeNodeNotReady", "KubeNodeUnreachable", "TargetDown", "etcdMembersDown", "KubeDeploymentReplicasMismatch"];
  const alerts = await waitFor(async () => {
    const list = await json(`${AM}/alerts`);
    return want.every((n) => list.some((a: any) => a.labels.alertname === n)) ? list : null;
  }, "every fault's alert");
  save("alerts-faults.json", alerts);
  save("alerts-faults-nodes.json", await json("/api/v1/nodes"));
  save("alerts-faults-pods.json", await json("/api/v1/pods"));
  await sb.close();
}

void main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
