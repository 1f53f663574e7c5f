// Tier health in a real Chromium against the production build: every fault the sandbox can inject shows
// on the right tier with the right reason within one refresh, and goes away after heal.
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { e2eState, portalCli, sandboxCli, signIn, userWithRole } from "./fixtures";

const C = "growbin-sandbox";
const REFRESH = 5_000; // the shortest polling interval, picked for these tests (the portal reads the cluster every 2 s here)
const WITHIN_ONE_REFRESH = REFRESH + 2_000 + 5_000; // one poll after one read, plus the read itself and render

/** GETs the sandbox's Kubernetes API with the portal's read-only token (to pick pod names for pod faults); global-setup trusts its CA. */
async function kube(p: string): Promise<any> {
  const text = fs.readFileSync(path.join(e2eState().sandboxState, "reader.kubeconfig"), "utf8");
  const server = /server: (\S+)/.exec(text)![1]!;
  const token = /token: (\S+)/.exec(text)![1]!;
  return (await fetch(`${server}${p}`, { headers: { authorization: `Bearer ${token}` } })).json();
}
const podOf = async (app: string) =>
  `default/${(await kube(`/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`)).items[0].metadata.name}`;

test.beforeAll(() => {
  const status = JSON.parse(sandboxCli(["status", "--json"]));
  if (!status.phasesDone.includes("apps")) sandboxCli(["provision"]);
  sandboxCli(["heal", "--all"]);
});

// Every page here polls every 5 s (the interval picker's choice, kept in localStorage).
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => window.localStorage.setItem("growbin.health.interval", "5"));
});

async function overview(page: Page) {
  await page.goto(`/c/${C}`);
  await expect(page.getByTestId("tier-card-1")).toBeVisible();
}

test("a viewer sees the 4 tiers ok, queue sparklines and the Argo CD summary on the overview", async ({ page }) => {
  await signIn(page, userWithRole("viewer"));
  await overview(page);
  for (const t of ["1", "2", "3", "4"])
    await expect(page.getByTestId(`tier-card-${t}`)).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("queue-sparklines")).toContainText("q.dlq");
  await expect(page.getByTestId("argo-summary")).toContainText("6/6 synced");
  await expect(page.getByTestId("updated-ago")).toBeVisible();
});

const FAULTS: { kind: string; args: () => Promise<string[]>; tier: string; reason: RegExp }[] = [
  { kind: "node-notready", args: async () => ["--node", "worker-1"], tier: "2", reason: /Node worker-1 is NotReady/ },
  {
    kind: "pod-crashloop",
    args: async () => ["--pod", await podOf("auth-service")],
    tier: "2",
    reason: /is in CrashLoopBackOff/,
  },
  {
    kind: "pod-imagepull",
    args: async () => ["--pod", await podOf("users-service")],
    tier: "2",
    reason: /cannot pull its image \(ImagePullBackOff\)/,
  },
  { kind: "pod-oomkilled", args: async () => ["--pod", await podOf("ai-worker")], tier: "2", reason: /was OOMKilled/ },
  { kind: "etcd-unhealthy", args: async () => [], tier: "1", reason: /etcd is unhealthy/ },
  { kind: "queue-backlog", args: async () => ["--queue", "q.batch"], tier: "3", reason: /q\.batch has no consumers/ },
  {
    kind: "dlq-growth",
    args: async () => ["--queue", "q.ai"],
    tier: "3",
    reason: /q\.dlq holds \d+ dead-lettered message/,
  },
  { kind: "consumers-gone", args: async () => [], tier: "3", reason: /has no consumers/ },
  {
    kind: "app-outofsync",
    args: async () => ["--app", "waste-service"],
    tier: "2",
    reason: /Argo CD app waste-service is OutOfSync/,
  },
  {
    kind: "app-degraded",
    args: async () => ["--app", "batch-worker"],
    tier: "2",
    reason: /Argo CD app batch-worker is Degraded/,
  },
  {
    kind: "instance-stopped",
    args: async () => ["--instance", "storage"],
    tier: "4",
    reason: /\(storage\) is stopped/,
  },
];

test("each injected fault appears on its tier with its reason within one refresh, and disappears after heal", async ({
  page,
}) => {
  test.setTimeout(FAULTS.length * 2 * WITHIN_ONE_REFRESH + 30_000);
  await signIn(page, userWithRole("viewer"));
  await overview(page);
  for (const f of FAULTS) {
    const card = page.getByTestId(`tier-card-${f.tier}`);
    sandboxCli(["fault", f.kind, ...(await f.args())]);
    await expect(card, `${f.kind} on tier ${f.tier}`).toContainText(f.reason, { timeout: WITHIN_ONE_REFRESH });
    await expect(card).not.toHaveAttribute("data-status", "ok");
    sandboxCli(["heal", "--all"]);
    await expect(card, `${f.kind} healed`).not.toContainText(f.reason, { timeout: WITHIN_ONE_REFRESH });
  }
  for (const t of ["1", "2", "3", "4"])
    await expect(page.getByTestId(`tier-card-${t}`)).toHaveAttribute("data-status", "ok", {
      timeout: WITHIN_ONE_REFRESH,
    });
});

test("the tier page keeps its filters and scroll across refreshes and lists the tier's problems", async ({ page }) => {
  await signIn(page, userWithRole("viewer"));
  await page.goto(`/c/${C}/tiers/2`);
  await page.getByLabel("Refresh interval").selectOption("5");
  await page.getByLabel("Search pods").fill("ai-worker");
  await expect(page.getByTestId("pod-row")).toHaveCount(3);
  const before = await page.getByTestId("updated-ago").textContent();
  sandboxCli(["fault", "pod-crashloop", "--pod", await podOf("waste-service")]);
  await expect(page.getByTestId("problems")).toContainText("CrashLoopBackOff", { timeout: WITHIN_ONE_REFRESH });
  await expect(page.getByLabel("Search pods")).toHaveValue("ai-worker");
  await expect(page.getByTestId("pod-row")).toHaveCount(3);
  expect(before).toBeTruthy();
  sandboxCli(["heal", "--all"]);
  await expect(page.getByTestId("tier-status")).toContainText("ok", { timeout: WITHIN_ONE_REFRESH });
  // The server filters the pods; a bad filter in the polled URL is a 400 naming it.
  const bad = await page.request.get(`/api/clusters/${C}/health/tiers/2?namespace=Not_A_Namespace`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toBe("namespace: not a namespace name");
});

test("an operator syncs an OutOfSync app; the open sync dialog survives a refresh; a viewer gets no buttons", async ({
  page,
}) => {
  sandboxCli(["fault", "app-outofsync", "--app", "users-service"]);
  await signIn(page, userWithRole("viewer"));
  await page.goto(`/c/${C}/argocd`);
  await expect(page.getByTestId("app-row-users-service")).toContainText("OutOfSync");
  await expect(page.getByRole("button", { name: "Sync" })).toHaveCount(0);

  await page.context().clearCookies();
  await signIn(page, userWithRole("operator"));
  await page.goto(`/c/${C}/argocd`);
  await page.getByLabel("Refresh interval").selectOption("5");
  await page.getByTestId("app-row-users-service").getByRole("button", { name: "Sync" }).click();
  const dialog = page.getByTestId("sync-dialog");
  await expect(dialog).toBeVisible();
  // A refresh lands while the dialog is open (a newer reading's time in the title): it stays open.
  const first = await page.getByTestId("updated-ago").getAttribute("title");
  expect(first).not.toBeNull();
  await expect(page.getByTestId("updated-ago")).not.toHaveAttribute("title", first!, { timeout: WITHIN_ONE_REFRESH });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Synchronize" }).click();
  await expect(page.getByTestId("argo-message")).toContainText("Sync of users-service");
  await expect(page.getByTestId("app-row-users-service").getByTestId("app-sync")).toHaveText("Synced", {
    timeout: WITHIN_ONE_REFRESH,
  });
  await expect(page.getByTestId("app-row-users-service").getByTestId("app-operation")).toContainText("Succeeded");
  await page.getByTestId("app-row-auth-service").getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByTestId("argo-message")).toContainText("Refresh requested for auth-service");
});

test("the queues page shows the table, the depth chart ranges and a backlog", async ({ page }) => {
  await signIn(page, userWithRole("viewer"));
  await page.goto(`/c/${C}/queues`);
  await expect(page.getByTestId("queue-row-q.ai")).toBeVisible();
  sandboxCli(["fault", "queue-backlog", "--queue", "q.api"]);
  await expect(page.getByTestId("queue-row-q.api")).toContainText(/^q\.api\d{4,}/, { timeout: WITHIN_ONE_REFRESH });
  await page.getByRole("button", { name: "24 hours" }).click();
  await expect(page.getByRole("button", { name: "24 hours" })).toHaveAttribute("aria-pressed", "true");
  sandboxCli(["heal", "--all"]);
});

test("the CLI prints the tiers and exits 0 when all are ok, 4 when one is down", async () => {
  const ok = JSON.parse(portalCli(["health", "--cluster", C, "--json"]));
  expect(ok.tiers.map((t: { status: string }) => t.status)).toEqual(["ok", "ok", "ok", "ok"]);
  sandboxCli(["fault", "etcd-unhealthy"]);
  try {
    let code = 0;
    let out = "";
    try {
      portalCli(["health", "--cluster", C]);
    } catch (e) {
      code = (e as { status: number }).status;
      out = String((e as { stdout: string }).stdout);
    }
    expect(code).toBe(4); // server/cli exit codes: 3 degraded or unknown, 4 down
    expect(out).toMatch(/Tier 1 .* DOWN/);
    expect(out).toContain("etcd is unhealthy");
  } finally {
    sandboxCli(["heal", "--all"]);
  }
});

test("with the EC2 endpoint unreachable, the overview answers 200, shows EC2 unknown with its error, and recovers", async ({
  page,
}) => {
  // The portal finds the sandbox's EC2 endpoint in endpoints.json on every read: point it at a closed port.
  const file = path.join(e2eState().sandboxState, "endpoints.json");
  const saved = fs.readFileSync(file, "utf8");
  const endpoints = JSON.parse(saved);
  endpoints.ec2.endpoint = "http://127.0.0.1:9/ec2";
  fs.writeFileSync(file, JSON.stringify(endpoints));
  try {
    await signIn(page, userWithRole("viewer"));
    const res = await page.goto(`/c/${C}`);
    expect(res?.status()).toBe(200);
    await expect(page.getByTestId("source-error-ec2")).toContainText(
      /EC2 instances could not be read: nothing answers at the EC2 API endpoint.*(ECONNREFUSED|connect)/,
      { timeout: WITHIN_ONE_REFRESH },
    );
    for (const t of ["1", "2", "3"]) await expect(page.getByTestId(`tier-card-${t}`)).toBeVisible();
    await expect(page.getByTestId("argo-summary")).toContainText("6/6 synced");
  } finally {
    fs.writeFileSync(file, saved);
  }
  await expect(page.getByTestId("source-error-ec2")).toHaveCount(0, { timeout: WITHIN_ONE_REFRESH });
});

test("the node page shows conditions and no Session Manager command for a sandbox node; an admin resets the node into a run", async ({
  page,
}) => {
  await signIn(page, userWithRole("viewer"));
  await page.goto(`/c/${C}/nodes/worker-2`);
  await expect(page.getByTestId("condition-Ready")).toContainText("True");
  // Sandbox instances are simulated: an `aws ssm` command for them could only fail.
  await expect(page.getByTestId("ssm-command")).toHaveCount(0);
  await expect(page.getByTestId("ssm-none")).toContainText("sandbox node");
  await expect(page.getByRole("button", { name: "Reset node…" })).toHaveCount(0);

  await page.context().clearCookies();
  await signIn(page, e2eState().admin);
  await page.goto(`/c/${C}/nodes/worker-2`);
  await page.getByRole("button", { name: "Reset node…" }).click();
  const dialog = page.getByTestId("reset-dialog");
  await dialog.getByLabel("Why").fill("e2e: kubelet wedged");
  const go = dialog.getByRole("button", { name: "Reset worker-2" });
  await expect(go).toBeDisabled();
  await dialog.getByLabel(/Type the cluster name/).fill(C);
  await go.click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/, { timeout: 20_000 });
  // Let the run finish so the next spec finds the cluster free.
  await expect(page.getByText(/succeeded|failed/i).first()).toBeVisible({ timeout: 90_000 });
});
