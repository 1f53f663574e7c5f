import { afterAll, beforeAll, expect, test } from "vitest";
import { fingerprint } from "./alert-manager";
import { parseMatcher } from "./alert-api";
import { request, sandboxWithClients, tokenOf, waitFor } from "./test-helpers";

// A small time scale: 15 minutes of `for:` pass in under a second, so the rules go pending → firing in the test.
let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
const AM = "/api/v1/namespaces/monitoring/services/kube-prometheus-stack-alertmanager:9093/proxy/api/v2";
beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true, timeScale: 0.001 });
});
afterAll(async () => sb?.close());

type Alert = {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  fingerprint: string;
  status: { state: string; silencedBy: string[] };
};
const alerts = async (q = ""): Promise<Alert[]> => {
  const r = await fetch(`${sb.endpoints.kubernetes}${AM}/alerts${q}`);
  expect(r.status).toBe(200);
  return (await r.json()) as Alert[];
};
const named = async (name: string, q = "") => (await alerts(q)).filter((a) => a.labels.alertname === name);

test("Watchdog is always firing with the stack's labels, annotations and a model fingerprint", async () => {
  const [w] = await named("Watchdog");
  expect(w!.labels).toEqual({
    alertname: "Watchdog",
    severity: "none",
    prometheus: "monitoring/kube-prometheus-stack-prometheus",
  });
  expect(w!.annotations.runbook_url).toBe("https://runbooks.prometheus-operator.dev/runbooks/general/watchdog");
  expect(w!.fingerprint).toBe(fingerprint(w!.labels));
  expect(w!.status).toEqual({ state: "active", silencedBy: [], inhibitedBy: [] });
  // model.LabelSet{}.Fingerprint() is FNV-1a's offset basis.
  expect(fingerprint({})).toBe("cbf29ce484222325");
});

test("a crash loop raises KubePodCrashLooping after its for-duration, and heal resolves it", async () => {
  const pod = (await sb.core.listNamespacedPod({ namespace: "default" })).items.find((p) =>
    p.metadata!.name!.startsWith("auth-service"),
  )!;
  const name = pod.metadata!.name!;
  const f = await sb.admin("POST", "/faults", { kind: "pod-crashloop", pod: `default/${name}` });
  expect(f.status).toBe(201);
  const a = await waitFor(
    async () => (await named("KubePodCrashLooping")).find((x) => x.labels.pod === name),
    "KubePodCrashLooping",
  );
  expect(a!.labels).toMatchObject({
    namespace: "default",
    pod: name,
    container: "auth-service",
    reason: "CrashLoopBackOff",
    severity: "warning",
    job: "kube-state-metrics",
  });
  expect(a!.annotations.summary).toBe("Pod is crash looping.");
  await waitFor(
    async () => (await named("KubeDeploymentReplicasMismatch")).some((x) => x.labels.deployment === "auth-service"),
    "KubeDeploymentReplicasMismatch",
  );
  await sb.admin("POST", "/heal", { id: f.body.id });
  await waitFor(async () => !(await named("KubePodCrashLooping")).length, "KubePodCrashLooping resolved");
});

test("node-notready raises KubeNodeNotReady, KubeNodeUnreachable and TargetDown; heal clears them", async () => {
  const f = await sb.admin("POST", "/faults", { kind: "node-notready", node: "worker-2" });
  expect(f.status).toBe(201);
  await waitFor(
    async () => (await named("KubeNodeNotReady")).some((a) => a.labels.node === "worker-2"),
    "KubeNodeNotReady",
  );
  await waitFor(
    async () => (await named("KubeNodeUnreachable")).some((a) => a.labels.node === "worker-2"),
    "KubeNodeUnreachable",
  );
  const td = await waitFor(
    async () => (await named("TargetDown")).find((a) => a.labels.job === "kubelet"),
    "TargetDown",
  );
  expect(td!.annotations.description).toBe(
    "25% of the kubelet/kube-prometheus-stack-kubelet targets in kube-system namespace are down.",
  );
  await sb.admin("POST", "/heal", { id: f.body.id });
  await waitFor(
    async () =>
      !(await alerts()).some((a) =>
        ["KubeNodeNotReady", "KubeNodeUnreachable", "TargetDown"].includes(a.labels.alertname!),
      ),
    "node alerts resolved",
  );
});

test("etcd-unhealthy raises the critical etcd alerts", async () => {
  const f = await sb.admin("POST", "/faults", { kind: "etcd-unhealthy" });
  const a = await waitFor(async () => (await named("etcdInsufficientMembers"))[0], "etcdInsufficientMembers");
  expect(a!.labels.severity).toBe("critical");
  await waitFor(async () => (await named("etcdMembersDown")).length, "etcdMembersDown");
  await sb.admin("POST", "/heal", { id: f.body.id });
  await waitFor(async () => !(await named("etcdMembersDown")).length, "etcd alerts resolved");
});

test("a silence posted to the API makes its alerts suppressed, and the silenced=false filter hides them", async () => {
  const now = Date.now();
  const body = {
    matchers: [{ name: "alertname", value: "Watchdog", isRegex: false }],
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 3600_000).toISOString(),
    createdBy: "test",
    comment: "quiet",
  };
  const r = await fetch(`${sb.endpoints.kubernetes}${AM}/silences`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(r.status).toBe(200);
  const { silenceID } = (await r.json()) as { silenceID: string };
  const [w] = await named("Watchdog");
  expect(w!.status).toMatchObject({ state: "suppressed", silencedBy: [silenceID] });
  expect(await named("Watchdog", "?silenced=false")).toEqual([]);
  expect((await alerts("?filter=alertname%3D%22Watchdog%22")).length).toBe(1);
  const del = await fetch(`${sb.endpoints.kubernetes}${AM}/silence/${silenceID}`, { method: "DELETE" });
  expect(del.status).toBe(200);
  expect((await named("Watchdog"))[0]!.status.state).toBe("active");
});

test("bad input is refused with Alertmanager's errors", async () => {
  const bad = await fetch(`${sb.endpoints.kubernetes}${AM}/silences`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ matchers: [], createdBy: "x", comment: "y" }),
  });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatch(/at least one matcher/);
  const f = await fetch(`${sb.endpoints.kubernetes}${AM}/alerts?filter=%7Bbad`);
  expect(f.status).toBe(400);
  const b = await fetch(`${sb.endpoints.kubernetes}${AM}/alerts?active=maybe`);
  expect(b.status).toBe(422);
  expect(parseMatcher('severity=~"warn.*"')).toEqual({
    name: "severity",
    value: "warn.*",
    isRegex: true,
    isEqual: true,
  });
});

test("the reader identity may read the alerts; /api/v2/status answers the stack's config", async () => {
  const r = await request(sb.endpoints, "GET", `${AM}/status`, { token: tokenOf(sb.endpoints.kubeconfigs.reader) });
  expect(r.status).toBe(200);
  expect(r.json.config.original).toContain('receiver: "null"');
  const other = await request(
    sb.endpoints,
    "GET",
    "/api/v1/namespaces/monitoring/services/kube-prometheus-stack-grafana:80/proxy/",
    { token: tokenOf(sb.endpoints.kubeconfigs.reader) },
  );
  expect(other.status).toBe(403);
});
