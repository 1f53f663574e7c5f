import net from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadKubeConfig, type KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { startInformer, type Informer } from "@/server/cluster/kube/watch";
import { toPodInfo, type PodInfo } from "@/server/cluster/sources/pods";
import { toNodeInfo, type NodeInfo } from "@/server/cluster/sources/nodes";
import { toEventRow, type EventRow } from "@/server/cluster/reads/events";
import { sandboxWithClients, waitFor } from "@/infra/sandbox/test-helpers";
import type { RawPod } from "@/server/cluster/sources/pod-status";

// The informer against the TLS sandbox, through a TCP proxy the test can cut: a real dropped connection (and a
// refused reconnect) between the portal and the apiserver, not a mocked stream.

type Sandbox = Awaited<ReturnType<typeof sandboxWithClients>>;
let sb: Sandbox;
let proxy: Proxy;
let kt: KubeTarget;
const informers: Informer<unknown>[] = [];

type Proxy = {
  port: number;
  upstream: number;
  down(): void;
  up(): void;
  close(): Promise<void>;
  connections: () => number;
};

// Forwards TCP to the sandbox; down() cuts every open connection and refuses new ones until up().
function tcpProxy(upstream: number): Promise<Proxy> {
  const open = new Set<net.Socket>();
  let isUp = true;
  let connections = 0;
  const p = { upstream } as Proxy;
  const srv = net.createServer((client) => {
    if (!isUp) return void client.destroy();
    connections++;
    const server = net.connect(p.upstream, "127.0.0.1");
    open.add(client).add(server);
    const end = () => (client.destroy(), server.destroy(), open.delete(client), open.delete(server));
    client.on("error", end).on("close", end);
    server.on("error", end).on("close", end);
    client.pipe(server).pipe(client);
  });
  return new Promise((resolve) =>
    srv.listen(0, "127.0.0.1", () => {
      Object.assign(p, {
        port: (srv.address() as net.AddressInfo).port,
        connections: () => connections,
        down: () => {
          isUp = false;
          for (const s of open) s.destroy();
        },
        up: () => void (isUp = true),
        close: () => new Promise<void>((r) => (p.down(), srv.close(() => r()))),
      });
      resolve(p);
    }),
  );
}

const portOf = (url: string) => Number(new URL(url).port);

beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true, timeScale: 0.02 });
  proxy = await tcpProxy(portOf(sb.endpoints.kubernetes));
  const reader = loadKubeConfig(sb.endpoints.kubeconfigs.reader);
  // Same CA, token and TLS name; only the address is the proxy's.
  kt = { ...reader, server: new URL(`https://127.0.0.1:${proxy.port}`) };
});
afterAll(async () => {
  for (const i of informers) i.stop();
  await proxy?.close();
  await sb?.close();
});

function follow<R extends { metadata: { name: string; namespace?: string } }, T>(
  path: string,
  map: (r: R) => T,
  query?: Record<string, string>,
) {
  const changes: string[] = [];
  const inf = startInformer<R, T>(kt, {
    path,
    map,
    query,
    backoff: { minMs: 50, maxMs: 200 },
    timeoutSeconds: () => 30,
    onChange: (k) => changes.push(k),
  });
  informers.push(inf as Informer<unknown>);
  return { inf, changes };
}

const podsOf = (inf: Informer<PodInfo>, app: string) =>
  inf.items().filter((p) => p.workload === app || p.name.startsWith(`${app}-`));

test("the list fills the cache with every pod, at the list's resourceVersion, and a watch follows changes", async () => {
  const { inf } = follow<RawPod, PodInfo>("/api/v1/pods", toPodInfo);
  await inf.synced();
  const listed = (await sb.core.listPodForAllNamespaces()).items.length;
  expect(inf.size()).toBe(listed);
  expect(Number(inf.resourceVersion())).toBeGreaterThan(0);
  const pod = podsOf(inf, "users-service")[0]!;
  await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `${pod.namespace}/${pod.name}` });
  await waitFor(
    () => inf.items().find((p) => p.name === pod.name)?.status === "CrashLoopBackOff",
    "CrashLoopBackOff in the cache",
  );
  expect(inf.lists()).toBe(1);
  await sb.admin("POST", "/heal", { all: true });
  await waitFor(() => inf.items().find((p) => p.name === pod.name)?.status === "Running", "Running again");
  inf.stop();
});

test("a watch dropped mid-stream resumes from the last resourceVersion and loses no change made while it was down", async () => {
  const { inf } = follow<Parameters<typeof toNodeInfo>[0], NodeInfo>("/api/v1/nodes", toNodeInfo);
  await inf.synced();
  await waitFor(() => inf.watches() >= 1 && proxy.connections() > 0, "a watch open");
  const before = inf.resourceVersion();
  proxy.down();
  // While no connection can be made: a node goes NotReady, then another changes too.
  const f = (await sb.admin("POST", "/faults", { kind: "node-notready", node: "worker-2" })).body as { id: string };
  await waitFor(() => inf.lastError() !== null, "the informer noticed the drop");
  expect(inf.items().find((n) => n.name === "worker-2")?.ready).toBe("True");
  proxy.up();
  await waitFor(
    () => inf.items().find((n) => n.name === "worker-2")?.ready !== "True",
    "worker-2 NotReady after the resume",
  );
  // Resumed, not re-listed: the change came from the watch's replay after `before`.
  expect(inf.lists()).toBe(1);
  expect(inf.watches()).toBeGreaterThanOrEqual(2);
  expect(Number(inf.resourceVersion())).toBeGreaterThan(Number(before));
  expect(inf.lastError()).toBeNull();
  await sb.admin("POST", "/heal", { id: f.id });
  await waitFor(() => inf.items().find((n) => n.name === "worker-2")?.ready === "True", "worker-2 Ready again");
  inf.stop();
});

test("events are followed: a crash loop's BackOff event arrives through the watch", async () => {
  const { inf } = follow<never, EventRow>("/api/v1/events", toEventRow);
  await inf.synced();
  const pod = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=waste-service" })).items[0]!
    .metadata!.name!;
  const lists = inf.lists();
  await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod}` });
  const ev = await waitFor(
    () => inf.items().find((e) => e.reason === "BackOff" && e.object === `Pod/${pod}`),
    "the BackOff event",
  );
  expect(ev!.type).toBe("Warning");
  expect(inf.lists()).toBe(lists);
  await sb.admin("POST", "/heal", { all: true });
  inf.stop();
});

test("a change to nothing the informer keeps (a node write that leaves its mapped row equal) is no change", async () => {
  // Two informers on the nodes: one keeps each node's name only, one its readiness too.
  const names = follow<Parameters<typeof toNodeInfo>[0], string>("/api/v1/nodes", (n) => n.metadata.name);
  const ready = follow<Parameters<typeof toNodeInfo>[0], NodeInfo>("/api/v1/nodes", toNodeInfo);
  await Promise.all([names.inf.synced(), ready.inf.synced()]);
  await waitFor(() => names.inf.watches() >= 1 && ready.inf.watches() >= 1, "both watches open");
  const f = (await sb.admin("POST", "/faults", { kind: "node-notready", node: "worker-2" })).body as { id: string };
  await waitFor(
    () =>
      ready.inf.items().find((n) => n.name === "worker-2")?.ready === "False" ||
      ready.inf.items().find((n) => n.name === "worker-2")?.ready === "Unknown",
    "worker-2 NotReady",
  );
  const rv = Number(ready.inf.resourceVersion());
  // The names-only informer saw the same MODIFIED event (its resourceVersion moved on), but nothing it keeps changed.
  await waitFor(() => Number(names.inf.resourceVersion()) >= rv, "the names-only informer past the change");
  expect(ready.changes).toContain("event");
  expect(names.changes).toEqual(["list"]);
  await sb.admin("POST", "/heal", { id: f.id });
  await waitFor(() => ready.inf.items().find((n) => n.name === "worker-2")?.ready === "True", "worker-2 Ready again");
  names.inf.stop();
  ready.inf.stop();
});

test("a 410 Gone on resume (history compacted away while disconnected) leads to a re-list that holds the missed change", async () => {
  const { inf } = follow<RawPod, PodInfo>("/api/v1/pods", toPodInfo, { fieldSelector: "metadata.namespace=default" });
  await inf.synced();
  await waitFor(() => inf.watches() >= 1, "a watch open");
  proxy.down();
  const pod = podsOf(inf, "waste-service")[0]!;
  await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod.name}` });
  // A restart drops the sandbox's watch history, as etcd compaction drops old revisions: the informer's
  // resourceVersion is now older than anything a watch can replay.
  const state = sb.stateDir;
  await sb.stop();
  sb = await sandboxWithClients({ stateDir: state, timeScale: 0.02 });
  proxy.upstream = portOf(sb.endpoints.kubernetes);
  proxy.up();
  await waitFor(() => inf.lists() >= 2, "a re-list after 410");
  await waitFor(
    () => inf.items().find((p) => p.name === pod.name)?.status === "CrashLoopBackOff",
    "the missed change after the re-list",
  );
  expect(inf.hasSynced()).toBe(true);
  await sb.admin("POST", "/heal", { all: true });
  await waitFor(
    () => inf.items().find((p) => p.name === pod.name)?.status === "Running",
    "healed through the new watch",
  );
  inf.stop();
});

test("a server that refuses the identity leaves a clear error and an empty, unsynced informer, with no crash", async () => {
  const bad: KubeTarget = { ...kt, auth: () => ({ authorization: "Bearer not-a-token" }) };
  const inf = startInformer<RawPod, PodInfo>(bad, {
    path: "/api/v1/pods",
    map: toPodInfo,
    backoff: { minMs: 50, maxMs: 100 },
  });
  informers.push(inf as Informer<unknown>);
  await waitFor(() => inf.lastError(), "an error");
  expect(inf.lastError()).toMatch(/401|Unauthorized/i);
  expect(inf.hasSynced()).toBe(false);
  expect(inf.size()).toBe(0);
  inf.stop();
  await expect(inf.synced()).rejects.toThrow(/stopped/);
});
