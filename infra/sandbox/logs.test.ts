import { afterAll, beforeAll, expect, test } from "vitest";
import { sandboxWithClients, tokenOf, waitFor } from "./test-helpers";

let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let token: string;
beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true });
  token = tokenOf(sb.kubeconfigPath);
});
afterAll(() => sb.close());

async function log(pod: string, query = "", ns = "default"): Promise<{ status: number; text: string; json?: any }> {
  const r = await fetch(`${sb.url}/api/v1/namespaces/${ns}/pods/${pod}/log${query ? `?${query}` : ""}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await r.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: r.status, text, json };
}
const podOf = async (app: string) =>
  (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: `app=${app}` })).items[0]!.metadata!.name!;

test("a FastAPI service logs uvicorn's startup; a Celery worker its banner; the same read twice agrees", async () => {
  const auth = await podOf("auth-service");
  const a = await log(auth);
  expect(a.status).toBe(200);
  expect(a.text.split("\n").slice(0, 4)).toEqual([
    "INFO:     Started server process [1]",
    "INFO:     Waiting for application startup.",
    "INFO:     Application startup complete.",
    "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)",
  ]);
  expect((await log(auth)).text.startsWith(a.text)).toBe(true);
  const ai = await podOf("ai-worker");
  expect((await log(ai)).text).toMatch(/^celery@ai-worker-\S+ v5\.3\.6 \(emerald-rush\)\n/);
});

test("tailLines, timestamps and limitBytes shape the output as the kubelet does", async () => {
  const pod = await podOf("users-service");
  // A steady line may land between two reads, so compare a full read and a tail read taken together.
  await waitFor(async () => {
    const full = (await log(pod)).text.split("\n");
    const tail = (await log(pod, "tailLines=2")).text.split("\n");
    return tail.length === 3 && tail.join("\n") === full.slice(-3).join("\n");
  }, "tailLines=2 is the last two lines");
  expect((await log(pod, "tailLines=1&timestamps=true")).text).toMatch(
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z INFO: {5}\S/,
  );
  expect((await log(pod, "tailLines=0")).text).toBe("");
  expect((await log(pod, "limitBytes=12")).text).toBe("INFO:     St");
  expect((await log(pod, "sinceSeconds=3600")).text).toContain("Started server process");
});

test("a seeded restart left a previous instance that exited with its crash output", async () => {
  const pods = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=ai-worker" })).items;
  const restarted = pods.find((p) => p.status!.containerStatuses![0]!.restartCount === 3)!;
  expect(restarted.status!.containerStatuses![0]!.lastState!.terminated).toMatchObject({
    exitCode: 1,
    reason: "Error",
  });
  const prev = await log(restarted.metadata!.name!, "previous=true");
  expect(prev.text.trimEnd().split("\n").at(-1)).toBe(
    "kombu.exceptions.OperationalError: [Errno 111] Connection refused",
  );
  expect((await log(restarted.metadata!.name!)).text).not.toContain("OperationalError");
});

test("a crash-looping container's log ends with its crash; --previous shows the crashed instance after it recovers", async () => {
  const pod = (await sb.core.listNamespacedPod({ namespace: "default", labelSelector: "app=ai-worker" })).items.find(
    (p) => p.status!.containerStatuses![0]!.restartCount === 0,
  )!.metadata!.name!;
  expect((await log(pod, "previous=true")).json).toMatchObject({
    code: 400,
    reason: "BadRequest",
    message: `previous terminated container "ai-worker" in pod "${pod}" not found`,
  });
  const f = (await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod}` })).body;
  const cur = (await log(pod)).text;
  expect(cur.trimEnd().split("\n").at(-1)).toBe("kombu.exceptions.OperationalError: [Errno 111] Connection refused");
  expect((await log(pod, "previous=true")).text).toBe(cur);
  await sb.admin("POST", "/heal", { id: f.id });
  expect((await log(pod)).text).not.toContain("OperationalError");
  expect((await log(pod, "previous=true")).text).toBe(cur);
});

test("follow streams until the container stops, ending with its last words", async () => {
  const pod = await podOf("locations-service");
  const ctl = new AbortController();
  const r = await fetch(`${sb.url}/api/v1/namespaces/default/pods/${pod}/log?follow=true`, {
    headers: { authorization: `Bearer ${token}` },
    signal: ctl.signal,
  });
  const reader = r.body!.getReader();
  let text = "";
  while (!text.includes("Uvicorn running")) text += new TextDecoder().decode((await reader.read()).value);
  await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${pod}` });
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  expect(text.trimEnd().split("\n").at(-1)).toBe("ERROR:    Application startup failed. Exiting.");
  await sb.admin("POST", "/heal", { all: true });
});

test("errors as the apiserver and kubelet give them", async () => {
  const pod = await podOf("waste-service");
  expect((await log(pod, "container=nope")).json).toMatchObject({
    code: 400,
    message: `container nope is not valid for pod ${pod}`,
  });
  expect((await log("ghost")).json).toMatchObject({ code: 404, message: 'pods "ghost" not found' });
  expect((await log(pod, "tailLines=-1")).json).toMatchObject({
    code: 422,
    reason: "Invalid",
    message: `PodLogOptions "${pod}" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0`,
  });
  expect((await log(pod, "tailLines=x")).status).toBe(400);
  const f = (await sb.admin("POST", "/faults", { kind: "pod-imagepull", pod: `default/${pod}` })).body;
  expect((await log(pod)).json).toMatchObject({
    code: 400,
    message: `container "waste-service" in pod "${pod}" is waiting to start: trying and failing to pull image`,
  });
  await sb.admin("POST", "/heal", { id: f.id });
  const n = (await sb.admin("POST", "/faults", { kind: "node-notready", node: "worker-2" })).body;
  const dial = (await log(pod)).json;
  expect(dial.reason).toBeUndefined();
  expect(dial).toMatchObject({
    code: 500,
    message: expect.stringMatching(
      /^Get "https:\/\/10\.0\.3\.12:10250\/containerLogs\/default\/.+\/waste-service": dial tcp 10\.0\.3\.12:10250: connect: connection refused$/,
    ),
  });
  await sb.admin("POST", "/heal", { id: n.id });
  await waitFor(async () => (await log(pod)).status === 200, "logs readable again");
});
