// The portal's own health probe, its Prometheus endpoint and the admin's delivery log, against the
// production build that global-setup started. /api/metrics is tested with a token when the e2e portal
// was given PORTAL_METRICS_TOKEN (global-setup passes the environment through), else as switched off.
import { expect, test } from "@playwright/test";
import { parseExposition, valueOf } from "../server/observability/__fixtures__/parse-exposition";
import { portalCli, signIn, userWithRole } from "./fixtures";

const token = process.env.PORTAL_METRICS_TOKEN;

test("the health probe answers 200 with every check ok, without sign-in and without secrets", async ({ request }) => {
  const res = await request.get("/api/healthz");
  expect(res.status()).toBe(200);
  expect(res.headers()["x-request-id"]).toBeTruthy();
  const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean }> };
  expect(body).toMatchObject({
    status: "ok",
    checks: { web: { ok: true }, database: { ok: true }, worker: { ok: true } },
  });
  expect(JSON.stringify(body)).not.toMatch(/postgres(ql)?:\/\/|password/i);
});

test("metrics are refused without the bearer token", async ({ request }) => {
  const res = await request.get("/api/metrics");
  expect(res.status()).toBe(token ? 401 : 404);
  if (token)
    expect(
      (await request.get("/api/metrics", { headers: { authorization: "Bearer not-the-right-token" } })).status(),
    ).toBe(401);
});

test("metrics parse as Prometheus exposition and count a run that completes", async ({ request }) => {
  test.skip(!token, "PORTAL_METRICS_TOKEN is not set for the e2e portal");
  const scrape = async () => {
    const res = await request.get("/api/metrics", { headers: { authorization: `Bearer ${token}` } });
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("text/plain; version=0.0.4");
    return parseExposition(await res.text());
  };
  const finished = (f: ReturnType<typeof parseExposition>) =>
    f
      .find((x) => x.name === "portal_runs_finished_total")!
      .samples.filter((s) => s.labels.pipeline === "verify")
      .reduce((n, s) => n + s.value, 0);
  const before = await scrape();
  expect(valueOf(before, "portal_log_lines_ingested_total")).toBeGreaterThanOrEqual(0);
  try {
    portalCli(["verify", "--cluster", "growbin-sandbox", "--reason", "metrics e2e"]);
  } catch {
    // verify fails on an unprovisioned sandbox: a failed run counts as well
  }
  await expect.poll(async () => finished(await scrape())).toBe(finished(before) + 1);
});

test("an admin finds the webhook delivery log from Settings; a viewer is refused", async ({ page }) => {
  await signIn(page, userWithRole("admin"));
  await page.goto("/settings");
  await page.getByRole("link", { name: /Webhook deliveries/ }).click();
  await expect(page.getByRole("heading", { name: "Webhook deliveries" })).toBeVisible();
  await expect(page.getByText("No webhooks are configured")).toBeVisible();
  await page.context().clearCookies();
  await signIn(page, userWithRole("viewer"));
  await page.goto("/settings/deliveries");
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
});
