// A crash loop followed live in a real Chromium: the pages learn of each new reading through the health stream
// (server-sent events), not by polling (the poll is set to 60 s, far beyond every wait below) nor by reloading.
// The tier turns red with the BackOff event and the crash output linked, then recovers after heal; the page is
// never reloaded, and the filter, scroll position and an open dialog survive every update.
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { e2eState, sandboxCli, signIn, userWithRole } from "./fixtures";

const C = "growbin-sandbox";
// Far longer than any expect below (15 s): a change that shows came through the stream.
const POLL_SECONDS = "60";

type PodItem = { metadata: { name: string }; spec: { nodeName?: string } };

/** GETs the sandbox's Kubernetes API as the portal's reader (global-setup trusts its CA). */
async function kube<T>(p: string): Promise<T> {
  const text = fs.readFileSync(path.join(e2eState().sandboxState, "reader.kubeconfig"), "utf8");
  const server = /server: (\S+)/.exec(text)![1]!;
  const token = /token: (\S+)/.exec(text)![1]!;
  return (await (await fetch(`${server}${p}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
}
const wastePods = async () =>
  (await kube<{ items: PodItem[] }>("/api/v1/namespaces/default/pods?labelSelector=app%3Dwaste-service")).items;

/** Marks the document: a reload (or any full navigation) loses the marker and adds a navigation entry. */
async function markPage(page: Page): Promise<string> {
  const marker = `live-${Math.random().toString(36).slice(2)}`;
  await page.evaluate((m) => ((window as unknown as { __liveMarker: string }).__liveMarker = m), marker);
  return marker;
}
async function expectSamePage(page: Page, marker: string): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __liveMarker?: string }).__liveMarker)).toBe(marker);
  expect(await page.evaluate(() => performance.getEntriesByType("navigation").length)).toBe(1);
}

test.beforeAll(async () => {
  const status = JSON.parse(sandboxCli(["status", "--json"]));
  if (!status.phasesDone.includes("apps")) sandboxCli(["provision"]);
  sandboxCli(["heal", "--all"]);
});
test.afterAll(() => {
  sandboxCli(["heal", "--all"]);
});
test.beforeEach(async ({ page }) => {
  await page.addInitScript((s) => window.localStorage.setItem("growbin.health.interval", s), POLL_SECONDS);
});

test("a crash loop turns the tier red with its BackOff event and crash output linked, then recovers, pushed without a reload", async ({
  page,
}) => {
  await signIn(page, userWithRole("viewer"));
  const pods = await wastePods();
  await page.goto(`/c/${C}/tiers/2`);
  await expect(page.getByTestId("tier-status")).toContainText("ok");
  const marker = await markPage(page);
  // A filter and a scroll position the updates must leave alone.
  await page.getByLabel("Search pods").fill("waste-service");
  await expect(page.getByTestId("pod-row")).toHaveCount(pods.length);
  await page.evaluate(() => window.scrollTo(0, 400));
  const scrollY = await page.evaluate(() => window.scrollY);
  expect(scrollY).toBeGreaterThan(0);

  // Every replica crash-loops: the workload has no ready replica, the tier is down (red).
  for (const p of pods) sandboxCli(["fault", "pod-crashloop", "--pod", `default/${p.metadata.name}`]);
  await expect(page.getByTestId("tier-status")).toContainText("down");
  const problem = page
    .getByTestId("problems")
    .locator("li", { hasText: `${pods[0]!.metadata.name} is in CrashLoopBackOff` });
  await expect(problem).toBeVisible();
  await expect(page.getByTestId("problems")).toContainText("default/waste-service has no ready replica");
  // The crash output is linked: the crashed instance's log on the pod page.
  await expect(problem.getByTestId("problem-evidence")).toHaveAttribute(
    "href",
    new RegExp(`/c/${C}/pods/default/${pods[0]!.metadata.name}\\?log=previous`),
  );
  // The kubelet's BackOff event, in the tier's events.
  const backOff = page.getByTestId("events").locator('[data-testid="event-row"][data-reason="BackOff"]').first();
  await expect(backOff).toContainText("Back-off restarting failed container");
  await expect(page.getByTestId("pod-row").first()).toContainText("CrashLoopBackOff");
  await expect(page.getByLabel("Search pods")).toHaveValue("waste-service");
  await expectSamePage(page, marker);

  sandboxCli(["heal", "--all"]);
  await expect(page.getByTestId("tier-status")).toContainText("ok");
  await expect(problem).toHaveCount(0);
  await expect(page.getByTestId("pod-row")).toHaveCount(pods.length);
  await expect(page.getByTestId("pod-row").first()).toContainText("Running");
  await expect(page.getByLabel("Search pods")).toHaveValue("waste-service");
  expect(await page.evaluate(() => window.scrollY)).toBe(scrollY);
  await expectSamePage(page, marker);
});

test("a dialog left open on the node page stays open while the crash loop comes and goes", async ({ page }) => {
  await signIn(page, e2eState().admin);
  const pod = (await wastePods())[0]!;
  const node = pod.spec.nodeName!;
  await page.goto(`/c/${C}/nodes/${node}`);
  const marker = await markPage(page);
  const row = page.getByTestId("pod-row").filter({ hasText: pod.metadata.name });
  await expect(row).toContainText("Running");
  await page.getByRole("button", { name: "Reset node…" }).click();
  const dialog = page.getByTestId("reset-dialog");
  await dialog.getByLabel("Why").fill("e2e: typed while the page updates");
  await expect(dialog).toBeVisible();

  sandboxCli(["fault", "pod-crashloop", "--pod", `default/${pod.metadata.name}`]);
  await expect(row).toContainText("CrashLoopBackOff");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Why")).toHaveValue("e2e: typed while the page updates");
  sandboxCli(["heal", "--all"]);
  await expect(row).toContainText("Running");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Why")).toHaveValue("e2e: typed while the page updates");
  await expectSamePage(page, marker);
  await dialog.getByRole("button", { name: "Back" }).click();
  await expect(dialog).toBeHidden();
});
