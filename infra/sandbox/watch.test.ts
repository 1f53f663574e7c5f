import { Watch } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, test } from "vitest";
import { sandboxWithClients, waitFor } from "./test-helpers";

let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true, timeScale: 0.02 });
});
afterAll(() => sb.close());

type Ev = { type: string; obj: any };

function collect(path: string, query: Record<string, string>) {
  const events: Ev[] = [];
  let doneErr: unknown = "open";
  const ctl = new Watch(sb.kc).watch(
    path,
    query,
    (type, obj) => events.push({ type, obj }),
    (err) => (doneErr = err ?? null),
  );
  return { events, ctl, done: () => doneErr !== "open" };
}

test("a watch from a resourceVersion sees MODIFIED on a fault, BOOKMARKs, and ADDED/DELETED on a reset-node", async () => {
  const list = await sb.core.listPodForAllNamespaces();
  const rv = list.metadata!.resourceVersion!;
  const w = collect("/api/v1/pods", { resourceVersion: rv, allowWatchBookmarks: "true" });
  const pod = list.items.find((p) => p.metadata!.name!.startsWith("users-service-"))!;
  await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod.metadata!.name}` });
  await waitFor(
    () =>
      w.events.some(
        (e) =>
          e.type === "MODIFIED" &&
          e.obj.metadata.name === pod.metadata!.name &&
          e.obj.status.containerStatuses[0].state.waiting?.reason === "CrashLoopBackOff",
      ),
    "crashloop MODIFIED",
  );
  await waitFor(
    () => w.events.some((e) => e.type === "BOOKMARK" && Number(e.obj.metadata.resourceVersion) > Number(rv)),
    "a bookmark",
  );
  const r = await sb.admin("POST", "/reset-node", { node: "worker-1" });
  expect(r.status).toBe(200);
  expect(w.events.some((e) => e.type === "DELETED" && e.obj.spec.nodeName === "worker-1")).toBe(true);
  expect(w.events.some((e) => e.type === "ADDED")).toBe(true);
  (await w.ctl).abort();
  await sb.admin("POST", "/heal", { all: true });
});

test("a watch resumes after a dropped connection from the last resourceVersion it saw, missing nothing", async () => {
  const rv0 = (await sb.core.listNode()).metadata!.resourceVersion!;
  const first = collect("/api/v1/nodes", { resourceVersion: rv0 });
  const f1 = (await sb.admin("POST", "/faults", { kind: "node-notready", node: "worker-2" })).body;
  await waitFor(() => first.events.some((e) => e.type === "MODIFIED"), "first MODIFIED");
  (await first.ctl).abort();
  await waitFor(() => first.done(), "watch closed");
  const lastRv = first.events[first.events.length - 1]!.obj.metadata.resourceVersion;
  // Changes made while no watch is connected must arrive on the resumed watch.
  await sb.admin("POST", "/heal", { id: f1.id });
  const second = collect("/api/v1/nodes", { resourceVersion: lastRv });
  const readyAgain = await waitFor(
    () =>
      second.events.find(
        (e) =>
          e.type === "MODIFIED" &&
          e.obj.metadata.name === "worker-2" &&
          e.obj.status.conditions.some((c: any) => c.type === "Ready" && c.status === "True"),
      ),
    "resumed MODIFIED",
  );
  expect(Number(readyAgain!.obj.metadata.resourceVersion)).toBeGreaterThan(Number(lastRv));
  (await second.ctl).abort();
});

test("a watch without resourceVersion starts with ADDED for every object", async () => {
  const w = collect("/api/v1/namespaces/default/pods", { labelSelector: "app=ai-worker" });
  await waitFor(() => w.events.filter((e) => e.type === "ADDED").length === 3, "3 ADDED");
  (await w.ctl).abort();
});

test("a too-old resourceVersion gets an ERROR event with a 410 Expired Status", async () => {
  // Restarting the server drops the event history, as etcd compaction would.
  const state = sb.stateDir;
  const rvBefore = Number((await sb.core.listNode()).metadata!.resourceVersion);
  await sb.stop();
  const again = await sandboxWithClients({ stateDir: state, timeScale: 0.02 });
  sb = again;
  const w = collect("/api/v1/nodes", { resourceVersion: String(rvBefore - 10) });
  await waitFor(() => w.done(), "watch ended");
  const err = w.events.find((e) => e.type === "ERROR")!;
  expect(err.obj).toMatchObject({ kind: "Status", code: 410, reason: "Expired" });
  expect(err.obj.message).toMatch(/too old resource version/);
  // The state survived the restart.
  expect((await again.core.listNode()).items.length).toBe(4);
});
