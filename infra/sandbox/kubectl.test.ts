// The seed's manual checks and issue 12's kubectl list, run verbatim with the kubectl on PATH and kubeadm's
// admin.conf against a provisioned sandbox; asserts on what a user reads, columns included.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sandboxWithClients, tempDir, waitFor } from "./test-helpers";

const run = promisify(execFile);
let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let cache: string;
beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true });
  cache = tempDir("kubectl-cache-");
});
afterAll(async () => {
  await sb.close();
  fs.rmSync(cache, { recursive: true, force: true });
});

// kubectl's own discovery cache is per user; a private one keeps parallel sandboxes on reused ports apart.
const args = (a: string[]) => ["--kubeconfig", sb.kubeconfigPath, "--cache-dir", cache, ...a];
async function kubectl(...a: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run("kubectl", args(a), { encoding: "utf8", timeout: 30_000 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e: any) {
    return { code: e.code ?? 1, out: e.stdout ?? "", err: e.stderr ?? "" };
  }
}
// kubectl's tabwriter pads columns with at least 3 spaces; a header like "LAST SEEN" keeps its single space.
const cols = (line: string) => line.trim().split(/\s{2,}/);
const table = (out: string) => {
  const [head, ...rows] = out.trimEnd().split("\n");
  return { head: cols(head!), rows: rows.map(cols) };
};
const podOf = async (app: string) =>
  (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: `app=${app}` })).items[0]!.metadata!.name!;

describe("kubectl get: server-side Tables with kubectl's columns", () => {
  test("get nodes -o wide", async () => {
    const r = await kubectl("get", "nodes", "-o", "wide");
    expect(r.err).toBe("");
    const t = table(r.out);
    expect(t.head).toEqual([
      "NAME",
      "STATUS",
      "ROLES",
      "AGE",
      "VERSION",
      "INTERNAL-IP",
      "EXTERNAL-IP",
      "OS-IMAGE",
      "KERNEL-VERSION",
      "CONTAINER-RUNTIME",
    ]);
    expect(t.rows.map((x) => x[0])).toEqual(["master", "storage", "worker-1", "worker-2"]);
    expect(t.rows[0]).toEqual([
      "master",
      "Ready",
      "control-plane",
      expect.stringMatching(/^\d+s$/),
      "v1.28.4",
      "10.0.1.10",
      "<none>",
      "Ubuntu 22.04.3 LTS",
      "6.2.0-1017-aws",
      "containerd://1.7.2",
    ]);
    expect(t.rows[2]!.slice(0, 3)).toEqual(["worker-1", "Ready", "<none>"]);
  });

  test("get pods -A", async () => {
    const t = table((await kubectl("get", "pods", "-A")).out);
    expect(t.head).toEqual(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    expect(t.rows.length).toBe((await sb.core.listPodForAllNamespaces()).items.length);
    expect(t.rows.find((x) => x[1] === "rabbitmq-server-0")).toEqual([
      "messaging",
      "rabbitmq-server-0",
      "1/1",
      "Running",
      "0",
      expect.any(String),
    ]);
    expect(t.rows.filter((x) => x[1]!.startsWith("ai-worker-")).map((x) => x.slice(2, 4))).toEqual([
      ["1/1", "Running"],
      ["1/1", "Running"],
      ["1/1", "Running"],
    ]);
  });

  test("get events -A", async () => {
    const t = table((await kubectl("get", "events", "-A")).out);
    expect(t.head).toEqual(["NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    const pg = t.rows.filter((x) => x[4] === "pod/postgres-0").map((x) => x[3]);
    expect(pg).toEqual(expect.arrayContaining(["Scheduled", "Pulling", "Pulled", "Created", "Started"]));
    expect(t.rows.find((x) => x[3] === "SuccessfulCreate" && x[4] === "statefulset/postgres")![5]).toBe(
      "create Pod postgres-0 in StatefulSet postgres successful",
    );
    expect(t.rows.some((x) => x[0] === "default" && x[3] === "RegisteredNode" && x[4] === "node/master")).toBe(true);
  });

  test("get deploy,sts -A", async () => {
    const out = (await kubectl("get", "deploy,sts", "-A")).out;
    const [deploys, stss] = out.trimEnd().split("\n\n").map(table);
    expect(deploys!.head).toEqual(["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
    expect(deploys!.rows.find((x) => x[1] === "deployment.apps/ai-worker")!.slice(0, 5)).toEqual([
      "default",
      "deployment.apps/ai-worker",
      "3/3",
      "3",
      "3",
    ]);
    expect(stss!.head).toEqual(["NAMESPACE", "NAME", "READY", "AGE"]);
    expect(stss!.rows.map((x) => x.slice(0, 3))).toEqual(
      expect.arrayContaining([
        ["default", "statefulset.apps/postgres", "1/1"],
        ["messaging", "statefulset.apps/rabbitmq-server", "1/1"],
      ]),
    );
  });

  test("get applications -A", async () => {
    const t = table((await kubectl("get", "applications", "-A")).out);
    expect(t.head).toEqual(["NAMESPACE", "NAME", "SYNC STATUS", "HEALTH STATUS"]);
    expect(t.rows).toContainEqual(["argocd", "auth-service", "Synced", "Healthy"]);
    expect(t.rows).toHaveLength(6);
  });

  test("get lease -n kube-node-lease", async () => {
    const t = table((await kubectl("get", "lease", "-n", "kube-node-lease")).out);
    expect(t.head).toEqual(["NAME", "HOLDER", "AGE"]);
    expect(t.rows.map((x) => x.slice(0, 2))).toEqual([
      ["master", "master"],
      ["storage", "storage"],
      ["worker-1", "worker-1"],
      ["worker-2", "worker-2"],
    ]);
  });
});

describe("kubectl describe, logs, api-resources, raw", () => {
  test("describe node shows roles, the lease, conditions, its pods and its events", async () => {
    const out = (await kubectl("describe", "node", "master")).out;
    expect(out).toMatch(/^Roles:\s+control-plane$/m);
    expect(out).toMatch(/^Lease:\n\s+HolderIdentity:\s+master\n/m);
    expect(out).toMatch(/^\s+Ready\s+True\s.*KubeletReady\s+kubelet is posting ready status/m);
    expect(out).toMatch(/^\s+kube-system\s+etcd-master\s/m);
    expect(out).toMatch(
      /^\s+Normal\s+RegisteredNode\s+\S+\s+node-controller\s+Node master event: Registered Node master in Controller$/m,
    );
    expect(out).toMatch(/^\s+Normal\s+NodeReady\s+\S+\s+kubelet\s+Node master status is now: NodeReady$/m);
  });

  test("describe pod shows its controller and the scheduler's and kubelet's events", async () => {
    const pod = await podOf("redis");
    const out = (await kubectl("describe", "pod", "-n", "default", pod)).out;
    expect(out).toMatch(/^Controlled By:\s+ReplicaSet\/redis-\S+$/m);
    expect(out).toMatch(
      new RegExp(
        `^\\s+Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned default/${pod} to storage$`,
        "m",
      ),
    );
    expect(out).toMatch(/^\s+Normal\s+Started\s+\S+\s+kubelet\s+Started container redis$/m);
  });

  test("logs, logs --previous of a crash-looping pod, and logs -f following it to its crash", async () => {
    const pod = await podOf("batch-worker");
    expect((await kubectl("logs", "-n", "default", pod)).out).toMatch(
      /^celery@batch-worker-\S+ v5\.3\.6 \(emerald-rush\)$/m,
    );
    const prev = await kubectl("logs", "-n", "default", pod, "--previous");
    expect(prev.err.trim()).toBe(
      `Error from server (BadRequest): previous terminated container "batch-worker" in pod "${pod}" not found`,
    );
    const follow = spawn("kubectl", args(["logs", "-f", "-n", "default", pod]));
    let streamed = "";
    follow.stdout.on("data", (b: Buffer) => (streamed += b.toString()));
    const exited = new Promise<number | null>((r) => follow.on("exit", r));
    await waitFor(() => streamed.includes("[tasks]"), "kubectl logs -f prints the banner");
    const f = (await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod}` })).body;
    expect(await exited).toBe(0);
    expect(streamed.trimEnd().split("\n").at(-1)).toBe(
      "kombu.exceptions.OperationalError: [Errno 111] Connection refused",
    );
    const crashed = (await kubectl("logs", "-n", "default", pod, "--previous")).out;
    expect(crashed.trimEnd().split("\n").at(-1)).toBe(
      "kombu.exceptions.OperationalError: [Errno 111] Connection refused",
    );
    await sb.admin("POST", "/heal", { id: f.id });
  });

  test("api-resources lists every served kind with its short names, group and scope", async () => {
    const t = table((await kubectl("api-resources")).out);
    expect(t.head).toEqual(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]);
    for (const row of [
      ["pods", "po", "v1", "true", "Pod"],
      ["nodes", "no", "v1", "false", "Node"],
      ["deployments", "deploy", "apps/v1", "true", "Deployment"],
      ["statefulsets", "sts", "apps/v1", "true", "StatefulSet"],
      ["daemonsets", "ds", "apps/v1", "true", "DaemonSet"],
      ["replicasets", "rs", "apps/v1", "true", "ReplicaSet"],
      ["applications", "app,apps", "argoproj.io/v1alpha1", "true", "Application"],
    ])
      expect(t.rows).toContainEqual(row);
    expect(t.rows).toContainEqual(["leases", "coordination.k8s.io/v1", "true", "Lease"]);
    expect(t.rows).toContainEqual(["secrets", "v1", "true", "Secret"]);
  });

  test("get --raw '/readyz?verbose'", async () => {
    const out = (await kubectl("get", "--raw", "/readyz?verbose")).out;
    expect(out).toMatch(/^\[\+\]ping ok\n/);
    expect(out).toContain("[+]etcd ok\n");
    expect(out.trimEnd().split("\n").at(-1)).toBe("readyz check passed");
  });
});

test("get pods -A -w streams the change when a fault is injected", async () => {
  const pod = await podOf("users-service");
  const w = spawn("kubectl", args(["get", "pods", "-A", "-w"]));
  let out = "";
  w.stdout.on("data", (b: Buffer) => (out += b.toString()));
  try {
    await waitFor(() => out.includes("rabbitmq-server-0"), "the initial listing");
    const f = (await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod}` })).body;
    const line: string = await waitFor(
      () => out.split("\n").find((l) => l.includes(pod) && l.includes("CrashLoopBackOff")) ?? "",
      "the crash-loop line",
    );
    expect(cols(line)).toEqual([
      "default",
      pod,
      "0/1",
      "CrashLoopBackOff",
      expect.stringMatching(/^5 \(\d+s ago\)$/),
      expect.any(String),
    ]);
    await sb.admin("POST", "/heal", { id: f.id });
    await waitFor(
      () =>
        out.split("\n").some((l) => l.includes(pod) && / 1\/1 +Running /.test(l) && out.indexOf(l) > out.indexOf(line)),
      "the recovery line",
    );
  } finally {
    w.kill();
  }
});
