// The pod page in a real Chromium: from a tier page's crash-loop problem to the pod's BackOff event and the crash
// output in its previous log, read from the sandbox on demand with the portal's read-only identity.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { e2eState, sandboxCli, signIn, userWithRole } from "./fixtures";

const C = "growbin-sandbox";

/** GETs the sandbox's Kubernetes API as the portal's reader (global-setup trusts its CA). */
async function kube(p: string): Promise<Response> {
  const text = fs.readFileSync(path.join(e2eState().sandboxState, "reader.kubeconfig"), "utf8");
  const server = /server: (\S+)/.exec(text)![1]!;
  const token = /token: (\S+)/.exec(text)![1]!;
  return fetch(`${server}${p}`, { headers: { authorization: `Bearer ${token}` } });
}

let pod = "";
test.beforeAll(async () => {
  const status = JSON.parse(sandboxCli(["status", "--json"]));
  if (!status.phasesDone.includes("apps")) sandboxCli(["provision"]);
  sandboxCli(["heal", "--all"]);
  pod = (
    (await (await kube("/api/v1/namespaces/default/pods?labelSelector=app%3Dwaste-service")).json()) as {
      items: { metadata: { name: string } }[];
    }
  ).items[0]!.metadata.name;
});
test.afterAll(() => {
  sandboxCli(["heal", "--all"]);
});
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => window.localStorage.setItem("growbin.health.interval", "5"));
});

test("a crash loop's problem on the tier page opens the pod page at the crash output, with the BackOff event", async ({
  page,
}) => {
  await signIn(page, userWithRole("viewer"));
  sandboxCli(["fault", "pod-crashloop", "--pod", `default/${pod}`]);
  // What the kubelet keeps of the crashed instance: its last line is the crash output the page must show.
  const previous = (await (await kube(`/api/v1/namespaces/default/pods/${pod}/log?previous=true`)).text())
    .trimEnd()
    .split("\n");
  const crashLine = previous.at(-1)!;

  await page.goto(`/c/${C}/tiers/2`);
  const problem = page.getByTestId("problems").locator("li", { hasText: `${pod} is in CrashLoopBackOff` });
  await expect(problem).toBeVisible({ timeout: 20_000 });
  // The pod row links to the same page.
  await page.getByLabel("Search pods").fill(pod);
  await expect(page.getByTestId("pod-row").getByRole("link", { name: new RegExp(pod) })).toHaveAttribute(
    "href",
    `/c/${C}/pods/default/${pod}`,
  );

  await problem.getByTestId("problem-evidence").click();
  await expect(page).toHaveURL(new RegExp(`/c/${C}/pods/default/${pod}\\?log=previous`));
  await expect(page.getByTestId("pod-status")).toContainText("CrashLoopBackOff");
  await expect(page.getByTestId("owner-chain")).toContainText("Deployment waste-service");
  await expect(page.getByTestId("owner-chain")).toContainText("ReplicaSet waste-service-");
  const app = page.getByTestId("container-row").first();
  await expect(app).toContainText("Waiting: CrashLoopBackOff");
  await expect(app).toContainText("Terminated: Error (exit code 1)");

  const backOff = page.locator('[data-testid="event-row"][data-reason="BackOff"]').first();
  await expect(backOff).toContainText("Warning");
  await expect(backOff).toContainText("Back-off restarting failed container");
  await expect(backOff).toContainText("kubelet");

  await expect(page.getByLabel("Previous instance (the one that last terminated)")).toBeChecked();
  const log = page.getByRole("log", { name: "Pod log output" });
  await expect(log).toContainText(crashLine);
  // Search is the run viewer's: the crash line is found.
  await page.getByTestId("log-search").fill(crashLine.slice(0, 30));
  await expect(page.getByTestId("log-search-count")).toContainText(/\d+ match/);
  await expect(page.getByRole("link", { name: "Download previous log" })).toHaveAttribute(
    "href",
    /previous=true.*download=true/,
  );
  sandboxCli(["heal", "--all"]);
});

test("a healthy pod's page follows its current log live, and a node page lists the node's events", async ({ page }) => {
  await signIn(page, userWithRole("viewer"));
  await page.goto(`/c/${C}/pods/default/${pod}`);
  await expect(page.getByTestId("pod-status")).toContainText("Running");
  await expect(
    page.getByRole("log", { name: "Pod log output" }).locator("[data-testid^=log-line-]").first(),
  ).toBeVisible();
  // The running container's stream stays open: the page is still following once the tail has arrived.
  await expect(page.getByTestId("log-status")).toHaveText("Following live");
  if (process.env.E2E_SCREENSHOT) await page.screenshot({ path: process.env.E2E_SCREENSHOT, fullPage: true });
  await page.goto(`/c/${C}/nodes/worker-1`);
  await expect(page.getByTestId("events").getByTestId("event-row").first()).toContainText("Node/worker-1");
});

test("a pod that does not exist is a 404 page, and bad log options are a 400 naming them", async ({ page }) => {
  await signIn(page, userWithRole("viewer"));
  const res = await page.goto(`/c/${C}/pods/default/no-such-pod-e2e`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  const base = `/api/clusters/${C}/pods/default/${pod}/log`;
  const bad = await page.request.get(`${base}?previous=yes`);
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: string }).error).toBe('previous: "yes" is not true or false');
  const badNs = await page.request.get(`/api/clusters/${C}/pods/Default/${pod}/log`);
  expect(badNs.status()).toBe(400);
  expect(((await badNs.json()) as { error: string }).error).toMatch(/^namespace: /);
});
