import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listEvents } from "@/server/cluster/reads/events";
import { KubeError } from "@/server/cluster/kube/kube-http";
import { loadKubeConfig, type KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { readErrorResponse } from "@/server/cluster/reads/on-demand";
import { getPodDetail } from "@/server/cluster/reads/pod-detail";
import { openPodLog, parsePodLogOptions } from "@/server/cluster/reads/pod-logs";
import { podRef } from "@/server/cluster/reads/pod-ref";
import { findTier } from "@/server/config/tiers";
import { ValidationError } from "@/server/errors";
import { sandboxWithClients, waitFor } from "@/infra/sandbox/test-helpers";

// A pod's detail, events and logs read on demand with the portal's read-only identity, from a real TLS sandbox.

let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let reader: KubeTarget;
const signal = () => AbortSignal.timeout(10_000);
const opts = (q: string) => parsePodLogOptions(new URLSearchParams(q));
async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}
async function podOf(app: string): Promise<string> {
  return (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: `app=${app}` })).items[0]!.metadata!
    .name!;
}

beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true, cluster: "growbin-sandbox" });
  reader = loadKubeConfig(sb.endpoints.kubeconfigs.reader);
});
afterAll(() => sb?.close());

describe("pod detail", () => {
  test("a Deployment's pod shows its containers with image, state, probes and the chain Deployment → ReplicaSet", async () => {
    const name = await podOf("auth-service");
    const d = (await getPodDetail(reader, "default", name, signal()))!;
    expect(d).toMatchObject({ name, namespace: "default", status: "Running" });
    expect(d.owners.map((o) => o.kind)).toEqual(["Deployment", "ReplicaSet"]);
    expect(d.owners[0]!.name).toBe("auth-service");
    expect(d.owners[1]!.name).toMatch(/^auth-service-[a-z0-9]+$/);
    const app = d.containers.find((c) => c.kind === "app")!;
    expect(app.image).toMatch(/auth/);
    expect(app.state.state).toBe("Running");
    expect(app.lastTermination).toBeNull();
  });

  test("a missing pod is null, not an error", async () => {
    expect(await getPodDetail(reader, "default", "no-such-pod-x1", signal())).toBeNull();
  });
});

describe("a crash-looping pod", () => {
  let name: string;
  let faultId: string;
  beforeAll(async () => {
    name = await podOf("waste-service");
    faultId = (await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${name}` })).body.id;
  });
  afterAll(() => sb.admin("POST", "/heal", { id: faultId }));

  test("shows CrashLoopBackOff with the last termination's reason and exit code", async () => {
    const d = (await getPodDetail(reader, "default", name, signal()))!;
    expect(d.status).toBe("CrashLoopBackOff");
    const app = d.containers.find((c) => c.kind === "app")!;
    expect(app.state).toMatchObject({ state: "Waiting", reason: "CrashLoopBackOff" });
    expect(app.lastTermination).toMatchObject({ state: "Terminated", reason: "Error", exitCode: 1 });
    expect(app.lastTermination!.finishedAt).toBeTruthy();
    expect(app.restarts).toBeGreaterThanOrEqual(5);
  });

  test("its events include the kubelet's BackOff warning, newest first", async () => {
    const d = (await getPodDetail(reader, "default", name, signal()))!;
    const events = await waitFor(async () => {
      const list = await listEvents(reader, { kind: "pod", namespace: "default", name, uid: d.uid }, signal());
      return list.some((e) => e.reason === "BackOff") ? list : null;
    }, "a BackOff event");
    const backOff = events!.find((e) => e.reason === "BackOff")!;
    expect(backOff).toMatchObject({ type: "Warning", object: `Pod/${name}` });
    expect(backOff.source).toMatch(/^kubelet, /);
    expect(backOff.count).toBeGreaterThanOrEqual(5);
    expect(backOff.message).toContain("Back-off restarting failed container");
    const times = events!.map((e) => Date.parse(e.lastSeen!));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  test("its previous log ends with the crash output, as the current one does while the container waits to restart", async () => {
    const prev = await text(await openPodLog(reader, "default", name, opts("previous=true"), signal()));
    const lines = prev.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    // Each line carries the kubelet's RFC3339Nano timestamp.
    expect(lines.every((l) => /^\d{4}-\d\d-\d\dT\S+Z /.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/error|fatal|panic|exit|traceback|failed/i);
    // The kubelet serves the last terminated instance while the container waits (validateContainerLogStatus).
    const current = await text(await openPodLog(reader, "default", name, opts(""), signal()));
    expect(current.trimEnd().split("\n").at(-1)).toBe(lines.at(-1));
    // A container that never terminated has no previous log: the kubelet's 400 comes back as it is.
    const healthy = await podOf("users-service");
    await expect(openPodLog(reader, "default", healthy, opts("previous=true"), signal())).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/previous terminated container .* not found/),
    });
  });
});

describe("logs", () => {
  test("tailLines returns that many of the newest lines", async () => {
    const name = await podOf("users-service");
    const all = (await text(await openPodLog(reader, "default", name, opts("timestamps=false"), signal())))
      .trimEnd()
      .split("\n");
    const tail = (await text(await openPodLog(reader, "default", name, opts("tailLines=2&timestamps=false"), signal())))
      .trimEnd()
      .split("\n");
    expect(tail).toEqual(all.slice(-2));
  });

  test("a follow streams until the reader goes away, then the upstream request is closed", async () => {
    const name = await podOf("locations-service");
    const browser = new AbortController();
    const stream = await openPodLog(reader, "default", name, opts("follow=true&tailLines=1"), browser.signal);
    const r = stream.getReader();
    const first = await r.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/Z .+\n$/);
    browser.abort();
    // The stream ends instead of hanging once the browser left.
    await waitFor(async () => (await r.read()).done, "the follow to end");
  });

  test("secrets in log text are redacted before they leave the server", async () => {
    // The redactor runs on each line: a line with a bearer token or a password=value pair never passes whole.
    const { Redactor } = await import("@/server/runs/redact");
    const { redactLogLine } = await import("@/server/cluster/reads/pod-logs");
    const line = redactLogLine(
      new Redactor(),
      "2026-01-01T00:00:00.000000001Z connecting with password=hunter2secret and Authorization: Bearer abcdefghijklmnop",
    );
    expect(line).toBe(
      "2026-01-01T00:00:00.000000001Z connecting with password=[REDACTED] and Authorization: Bearer [REDACTED]",
    );
  });
});

describe("events of a node and a tier", () => {
  test("a node's events are its kubelet's; tier 2's events are about its pods and nodes only", async () => {
    const node = await listEvents(reader, { kind: "node", name: "worker-1" }, signal());
    expect(node.length).toBeGreaterThan(0);
    expect(node.every((e) => e.object === "Node/worker-1")).toBe(true);
    const tier = await listEvents(
      reader,
      { kind: "tier", tier: findTier("2")!, nodes: ["worker-1", "worker-2"] },
      signal(),
    );
    expect(tier.some((e) => e.object.startsWith("Pod/auth-service-"))).toBe(true);
    expect(tier.some((e) => e.object === "Node/worker-1")).toBe(true);
    expect(tier.some((e) => /^Pod\/(postgres|redis|celery-beat)/.test(e.object) || e.object === "Node/master")).toBe(
      false,
    );
  });
});

describe("input from the browser", () => {
  test("bad names, booleans and numbers are a 400 naming the field", async () => {
    const status = async (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        const res = readErrorResponse(err);
        return [res.status, ((await res.json()) as { error: string }).error];
      }
      throw new Error("accepted");
    };
    expect(await status(() => podRef("Default", "x"))).toEqual([
      400,
      expect.stringMatching(/^namespace: "Default" is not a valid name/),
    ]);
    expect(await status(() => podRef("default", "a/../../secrets"))).toEqual([400, expect.stringMatching(/^pod: /)]);
    expect(await status(() => podRef("default", "%E0%A4%A"))).toEqual([400, "pod: not a valid URL segment"]);
    expect(await status(() => opts("container=App_1"))).toEqual([400, expect.stringMatching(/^container: /)]);
    expect(await status(() => opts("previous=yes"))).toEqual([400, 'previous: "yes" is not true or false']);
    expect(await status(() => opts("follow=1"))).toEqual([400, 'follow: "1" is not true or false']);
    expect(await status(() => opts("tailLines=10abc"))).toEqual([
      400,
      expect.stringMatching(/^tailLines: "10abc" is not a whole number/),
    ]);
    expect(await status(() => opts("tailLines=-1"))).toEqual([400, expect.stringMatching(/^tailLines: /)]);
  });

  test("a 403 from the cluster names the permission the identity lacks", async () => {
    // The Argo CD operator identity may only get and patch Applications: reading a pod's log is forbidden.
    const operator = loadKubeConfig(sb.endpoints.kubeconfigs.operator);
    const err = await openPodLog(operator, "default", await podOf("auth-service"), opts(""), signal()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KubeError);
    const res = readErrorResponse(err);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /may not get pods\/log in namespace default: grant it "get" on "pods\/log"/,
    );
  });

  test("a token the cluster does not know is refused and says the credentials are wrong", async () => {
    const file = path.join(sb.stateDir, "nobody.kubeconfig");
    fs.writeFileSync(
      file,
      fs.readFileSync(sb.endpoints.kubeconfigs.reader, "utf8").replace(/token: \S+/, "token: not-a-valid-token"),
    );
    const res = readErrorResponse(
      await getPodDetail(loadKubeConfig(file), "default", "x", signal()).catch((e: unknown) => e),
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/refused the portal's credentials/);
  });
});
