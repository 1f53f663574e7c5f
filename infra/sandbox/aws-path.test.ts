// The aws path rehearsed: the verify pipeline's scripts with TARGET=aws, the real kubectl and aws CLI, pointed at a
// sandbox started for the cluster's name, with kubeadm's admin.conf, AWS_ENDPOINT_URL_EC2, the sandbox's EC2 keys
// and its CA (AWS_CA_BUNDLE: the sandbox serves EC2 over HTTPS, as AWS does). Healthy, they pass; with a fault
// injected through the sandbox CLI, they fail and name it.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { request, sandboxWithClients, waitFor } from "./test-helpers";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const CLUSTER = "growbin-rehearsal";
let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let env: Record<string, string | undefined>;
let servesApps = false;

beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true, cluster: CLUSTER });
  const e = sb.endpoints;
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TARGET: "aws",
    CLUSTER,
    KUBECONFIG: e.kubeconfigs.admin,
    AWS_REGION: e.ec2.region,
    AWS_ENDPOINT_URL_EC2: e.ec2.endpoint,
    AWS_CA_BUNDLE: e.ca,
    AWS_ACCESS_KEY_ID: e.ec2.accessKeyId,
    AWS_SECRET_ACCESS_KEY: e.ec2.secretAccessKey,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  };
  // check-monitoring-status.sh lists apps/v1 Deployments and StatefulSets; it runs here once the sandbox serves them.
  servesApps = JSON.stringify(
    (await request(e, "GET", "/apis", { cert: { cert: adminPem("admin.crt"), key: adminPem("admin.key") } })).json ??
      {},
  ).includes('"apps"');
});
afterAll(() => sb.close());

function adminPem(f: string): Buffer {
  return fs.readFileSync(path.join(sb.stateDir, "pki", f));
}

const script = (name: string) =>
  run("bash", [path.join(ROOT, "infra/scripts", name)], {
    env: env as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? 1,
      out: (e.stdout ?? "") + (e.stderr ?? ""),
    }),
  );
// Asynchronous: the sandbox serves from this process, so a synchronous child would wait on a server that cannot answer.
const sandbox = (...args: string[]) =>
  run(process.execPath, ["--import", "tsx", "infra/sandbox/cli.ts", ...args, "--state", sb.stateDir], {
    cwd: ROOT,
    encoding: "utf8",
  });

describe("verify with TARGET=aws against the sandbox", () => {
  test("a healthy cluster passes every check, through kubectl (client certificate) and the aws CLI (HTTPS EC2)", async () => {
    const cluster = await script("check-cluster-health.sh");
    expect(cluster.out).toContain(`Cluster ${CLUSTER}: healthy`);
    expect(cluster.out).toMatch(/ok: instance i-[0-9a-f]+ \(storage\) running/);
    expect(cluster.out).toContain("ok: 4 calico-node pod(s)");
    expect(cluster.code).toBe(0);
    const etcd = await script("check-etcd-health.sh");
    expect(etcd.out).toContain("ok: etcd-master Running and Ready");
    expect(etcd.out).toContain(`etcd of ${CLUSTER}: healthy`);
    expect(etcd.code).toBe(0);
    if (servesApps) {
      const mon = await script("check-monitoring-status.sh");
      expect(mon.out).toContain(`Monitoring of ${CLUSTER}: healthy`);
      expect(mon.code).toBe(0);
    }
  });

  test("with faults injected, the same scripts fail and name each fault", async () => {
    const pods = (
      await request(sb.endpoints, "GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dwaste-service", {
        cert: { cert: adminPem("admin.crt"), key: adminPem("admin.key") },
      })
    ).json.items;
    const pod = pods[0].metadata.name as string;
    await sandbox("fault", "node-notready", "--node", "worker-1");
    await sandbox("fault", "instance-stopped", "--node", "storage");
    await sandbox("fault", "pod-crashloop", "--pod", `default/${pod}`);
    let last = "";
    const cluster = await waitFor<{ code: number; out: string } | null>(
      async () => {
        const r = await script("check-cluster-health.sh");
        last = r.out;
        return r.out.includes("CrashLoopBackOff") ? r : null;
      },
      "the crash loop to show",
      30_000,
    ).catch((e: Error): never => {
      throw new Error(`${e.message}; last report:\n${last}`);
    });
    if (!cluster) throw new Error("unreachable: waitFor returns a value");
    expect(cluster.code).toBe(1);
    expect(cluster.out).toContain("PROBLEM: node worker-1 is NotReady");
    expect(cluster.out).toMatch(/PROBLEM: instance i-[0-9a-f]+ \(storage\) is stopped/);
    expect(cluster.out).toContain(`default/${pod}: CrashLoopBackOff`);
    expect(cluster.out).toMatch(new RegExp(`Cluster ${CLUSTER}: UNHEALTHY \\(\\d+ problem`));
    // etcd last: with etcd down the apiserver's /readyz fails and the cluster check stops at its first step.
    await sandbox("fault", "etcd-unhealthy");
    const down = await script("check-cluster-health.sh");
    expect(down.code).toBe(1);
    expect(down.out).toContain("PROBLEM: API server not ready or unreachable");
    const etcd = await script("check-etcd-health.sh");
    expect(etcd.code).toBe(1);
    expect(etcd.out).toContain("PROBLEM: etcd-master is Running but not Ready");
    expect(etcd.out).toContain("PROBLEM: the API server reports etcd not ready (/readyz/etcd failed)");
    await sandbox("heal", "--all");
    const healed = await waitFor(
      async () => ((await script("check-etcd-health.sh")).code === 0 ? true : null),
      "etcd healthy after heal",
      30_000,
    );
    expect(healed).toBe(true);
  });
});
