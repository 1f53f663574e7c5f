import { expect, test } from "@playwright/test";
import { dbQuery, e2eState, signIn, userWithRole } from "./fixtures";

// Runs inserted straight into the portal's database: history pages read what is recorded, however it got there.
const TAG = `hist-${Date.now().toString(36)}`;

test.beforeAll(async () => {
  await dbQuery(
    `INSERT INTO "Run" (id, "clusterId", pipeline, status, "requestedBy", reason, "createdAt", "startedAt", "finishedAt")
     SELECT '${TAG}-' || lpad(i::text, 3, '0'), c.id, 'verify', (CASE WHEN i % 2 = 0 THEN 'failed' ELSE 'succeeded' END)::"RunStatus",
            'reviewer-bot', '${TAG} reason ' || i, now() - make_interval(mins => 200 - i), now() - make_interval(mins => 200 - i), now() - make_interval(mins => 199 - i)
     FROM generate_series(1, 120) i, "Cluster" c WHERE c.name = 'growbin-sandbox'`,
  );
  await dbQuery(`INSERT INTO "RunStep" (id, "runId", index, key, title, status, "startedAt", "finishedAt", "exitCode")
     SELECT 'st-' || r.id, r.id, 0, 'check-cluster', 'Cluster health', CASE WHEN r.status = 'failed' THEN 'failed' ELSE 'succeeded' END::"StepStatus", r."startedAt", r."finishedAt", CASE WHEN r.status = 'failed' THEN 1 ELSE 0 END
     FROM "Run" r WHERE r.id LIKE '${TAG}-%'`);
  await dbQuery(`INSERT INTO "LogLine" ("runId", seq, step, stream, text)
     SELECT '${TAG}-120', i, 0, CASE WHEN i = 1500 THEN 'stderr' ELSE 'stdout' END::"LogStream",
            CASE WHEN i = 1500 THEN 'fatal: [master]: FAILED! => kubeadm init timed out' WHEN i % 500 = 0 THEN 'TASK [needle : find me] ok' ELSE 'ok: [worker-' || (i % 3) || ']' END
     FROM generate_series(1, 3000) i`);
  await dbQuery(
    `UPDATE "Run" SET status = 'failed', error = 'step 1 (Cluster health) failed: exit code 2' WHERE id = '${TAG}-120'`,
  );
  await dbQuery(`UPDATE "RunStep" SET status = 'failed', "exitCode" = 2 WHERE "runId" = '${TAG}-120'`);
});

test("filter the runs list, page through it, and open a run", async ({ page }) => {
  await signIn(page, userWithRole("viewer"));
  await page.goto("/runs");
  const form = page.getByRole("form", { name: "Filter runs" });
  await form.getByLabel("Reason contains").fill(TAG);
  await form.getByLabel("Status").selectOption("failed");
  await form.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${TAG}`));
  await expect(page).toHaveURL(/status=failed/);
  const rows = page.locator("tbody tr");
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText(`${TAG} reason 120`);
  await page.getByTestId("next-page").click();
  await expect(rows).toHaveCount(10); // 60 failed runs: 50 + 10
  await expect(rows.last()).toContainText(`${TAG} reason 2`);
  await page.getByRole("link", { name: "First page" }).click();
  await expect(page).not.toHaveURL(/cursor=/);
  await expect(rows.first()).toContainText(`${TAG} reason 120`);
  await rows.first().getByRole("link", { name: "verify" }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${TAG}-120$`));
  await expect(page.getByTestId("failure-cause")).toHaveText("Ansible task failed: needle : find me");
});

test("search a run's log and follow a line permalink", async ({ page }) => {
  await signIn(page, userWithRole("viewer"));
  await page.goto(`/runs/${TAG}-120`);
  await page.getByTestId("log-search").fill("needle");
  await expect(page.getByTestId("log-search-count")).toContainText("5 matches"); // every 500th line but 1500, the error
  await page.goto(`/runs/${TAG}-120#L2750`);
  const line = page.getByTestId("log-line-2750");
  await expect(line).toBeVisible();
  await expect(line).toHaveAttribute("aria-current", "true");
  await page.getByTestId("failure-cause").click();
  await expect(page).toHaveURL(/#L1500$/);
  await expect(page.getByTestId("log-line-1500")).toHaveAttribute("aria-current", "true");
});

test("the runs list exports its filtered rows as CSV", async ({ page }) => {
  await signIn(page, userWithRole("viewer"));
  const res = await page.request.get(`/api/runs/export?q=${TAG}&status=succeeded`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/csv");
  const lines = (await res.text()).trim().split("\r\n");
  // Every cell is quoted (server/runs/runs-csv.ts), so no cell can start a formula in any locale.
  expect(lines[0]).toBe(
    '"id","cluster","pipeline","status","requested_by","reason","created_at","started_at","finished_at","duration_s"',
  );
  expect(lines).toHaveLength(61);
  expect(lines.slice(1).every((l) => l.includes('","succeeded","reviewer-bot","'))).toBe(true);
  expect((await page.request.get(`/api/runs/export?status=exploded`)).status()).toBe(400);
});

test("an admin sees the audit page and filters it; a viewer is refused it", async ({ page, browser }) => {
  await signIn(page, e2eState().admin);
  await page.goto("/audit?action=auth.sign-in&outcome=success");
  await expect(page.getByTestId("audit-row").first()).toContainText("auth.sign-in");
  const outcomes = await page.getByTestId("audit-row").locator("td:nth-child(5)").allInnerTexts();
  expect(outcomes.every((o) => o.includes("success"))).toBe(true);
  const viewer = await browser.newPage();
  await signIn(viewer, userWithRole("viewer"));
  await viewer.goto("/audit");
  await expect(viewer.getByRole("alert").filter({ hasText: "Not allowed" })).toContainText("needs the admin role");
  await expect(viewer.getByTestId("audit-row")).toHaveCount(0);
  await viewer.close();
});
