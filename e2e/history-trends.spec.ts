import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { dbQuery, signIn, userWithRole } from "./fixtures";

// Run history for reviewers: compare a good and a bad run, read the trends, and see the live ETA.
// Runs are inserted as rows (at known times and durations) so the numbers on screen are known.

test.describe.configure({ mode: "serial" });

const VERIFY_STEPS = [
  ["check-cluster", "Cluster health"],
  ["check-etcd", "etcd health"],
  ["check-monitoring", "Monitoring stack"],
] as const;
type StepRow = { status: string; ms: number | null };
const tag = crypto.randomBytes(4).toString("hex");

async function sandboxId(): Promise<string> {
  return (await dbQuery<{ id: string }>(`SELECT id FROM "Cluster" WHERE name = 'growbin-sandbox'`))[0]!.id;
}

/** Inserts a verify run on the sandbox with steps back to back from `start`, and its log lines. */
async function insertRun(
  id: string,
  status: string,
  start: Date,
  steps: StepRow[],
  lines: [number, string, string][],
  extra: { heartbeatAt?: Date } = {},
) {
  let t = start.getTime();
  const rows = steps.map((s, i) => {
    const startedAt = s.status === "pending" || s.status === "skipped" ? null : new Date(t);
    const finishedAt = startedAt && s.ms !== null ? new Date((t += s.ms)) : null;
    return { i, s, startedAt, finishedAt };
  });
  const terminal = !["running", "queued", "cancelling"].includes(status);
  await dbQuery(
    `INSERT INTO "Run" (id, "clusterId", pipeline, status, "requestedBy", reason, "createdAt", "startedAt", "finishedAt", "heartbeatAt")
     VALUES ($1, $2, 'verify', $3::"RunStatus", 'e2e-history', 'history e2e', $4, $4, $5, $6)`,
    [
      id,
      await sandboxId(),
      status,
      start.toISOString(),
      terminal ? new Date(t).toISOString() : null,
      extra.heartbeatAt?.toISOString() ?? null,
    ],
  );
  for (const r of rows) {
    const [key, title] = VERIFY_STEPS[r.i]!;
    await dbQuery(
      `INSERT INTO "RunStep" (id, "runId", index, key, title, status, "startedAt", "finishedAt", "exitCode") VALUES ($1, $2, $3, $4, $5, $6::"StepStatus", $7, $8, $9)`,
      [
        `${id}-s${r.i}`,
        id,
        r.i,
        key,
        title,
        r.s.status,
        r.startedAt?.toISOString() ?? null,
        r.finishedAt?.toISOString() ?? null,
        r.s.status === "failed" ? 1 : r.s.status === "succeeded" ? 0 : null,
      ],
    );
  }
  for (const [seq, [step, stream, text]] of lines.entries()) {
    await dbQuery(
      `INSERT INTO "LogLine" ("runId", seq, step, time, stream, text) VALUES ($1, $2, $3, $4, $5::"LogStream", $6)`,
      [id, seq, step, start.toISOString(), stream, text],
    );
  }
}

const good = `e2e-hist-good-${tag}`;
const bad = `e2e-hist-bad-${tag}`;
const HOUR = 3600_000;

test.beforeAll(async () => {
  const now = Date.now();
  await insertRun(
    good,
    "succeeded",
    new Date(now - 5 * HOUR),
    [
      { status: "succeeded", ms: 60_000 },
      { status: "succeeded", ms: 30_000 },
      { status: "succeeded", ms: 20_000 },
    ],
    [
      [0, "stdout", "checking 4 nodes"],
      [1, "stdout", "etcd: 3 members healthy"],
    ],
  );
  await insertRun(
    bad,
    "failed",
    new Date(now - 4 * HOUR),
    [
      { status: "succeeded", ms: 90_000 },
      { status: "failed", ms: 10_000 },
      { status: "skipped", ms: null },
    ],
    [
      [0, "stdout", "checking 4 nodes"],
      [1, "stderr", "etcdserver: request timed out"],
      [1, "system", "step failed with exit code 1"],
    ],
  );
});

test("a reviewer compares the good run with the bad one: step deltas, outcomes and the first differing error line", async ({
  page,
}) => {
  await signIn(page, userWithRole("viewer"));
  await page.goto("/runs/compare");
  await expect(page.getByText("Pick two runs")).toBeVisible();
  await page.getByLabel("Run A (before)").fill(good);
  await page.getByLabel("Run B (after)").fill(bad);
  await page.getByRole("button", { name: "Compare", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/compare\\?a=${good}&b=${bad}$`));

  await expect(page.getByTestId("compare-step-check-cluster").getByTestId("delta")).toHaveText("+30s");
  await expect(page.getByTestId("compare-step-check-etcd").getByTestId("delta")).toHaveText("−20s");
  await expect(page.getByTestId("compare-step-check-etcd")).toContainText("failed");
  await expect(page.getByTestId("compare-step-check-monitoring")).toContainText("skipped");

  const first = page.getByTestId("first-error");
  await expect(first).toContainText("etcd health");
  await expect(first).toContainText("no error line here in this run");
  const link = first.getByRole("link", { name: /etcdserver: request timed out/ });
  await expect(link).toHaveAttribute("href", `/runs/${bad}#L1`);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/runs/${bad}#L1$`));
  await expect(page.getByText("etcdserver: request timed out").first()).toBeVisible();
});

test("comparing with an unknown run id is a 404", async ({ page }) => {
  await signIn(page, userWithRole("viewer"));
  const res = await page.goto(`/runs/compare?a=${good}&b=no-such-run`);
  expect(res?.status()).toBe(404);
});

test("the trends page shows durations, success rate, the failing step and an open outage for verify", async ({
  page,
}) => {
  await signIn(page, userWithRole("viewer"));
  await page.goto("/runs/trends");
  const filters = page.getByRole("form", { name: "Trend filters" });
  await filters.locator('select[name="cluster"]').selectOption("growbin-sandbox");
  await filters.locator('select[name="pipeline"]').selectOption("verify");
  await filters.getByRole("button", { name: "Show trends" }).click();
  await expect(page).toHaveURL(/cluster=growbin-sandbox&pipeline=verify/);
  await expect(page.getByRole("heading", { name: "Trends: Verify on growbin-sandbox" })).toBeVisible();
  await expect(page.getByTestId("success-total")).toContainText(/\d+ of \d+ finished runs succeeded/);
  await expect(page.getByTestId("duration-chart").locator("svg").first()).toBeVisible();
  await expect(page.getByTestId("success-chart").locator("svg").first()).toBeVisible();
  await expect(page.getByTestId("step-trend-chart").locator("svg").first()).toBeVisible();
  await expect(page.getByTestId("failing-steps")).toContainText("etcd health");
  await expect(page.getByTestId("step-trends")).toContainText("Cluster health");
  await expect(page.getByTestId("recovery")).toBeVisible();
});

test("a running run shows an ETA from earlier successful runs and flags a step slower than usual", async ({ page }) => {
  const live = `e2e-hist-live-${tag}`;
  const active = await dbQuery(`SELECT id FROM "Run" WHERE status IN ('queued', 'running', 'cancelling')`);
  test.skip(active.length > 0, "another run holds the sandbox");
  // Check-cluster has run 5 minutes against a median of about 1 minute; a future heartbeat keeps the sweeper away.
  await insertRun(
    live,
    "running",
    new Date(Date.now() - 5 * 60_000),
    [
      { status: "running", ms: null },
      { status: "pending", ms: null },
      { status: "pending", ms: null },
    ],
    [[0, "stdout", "checking 4 nodes"]],
    {
      heartbeatAt: new Date(Date.now() + HOUR),
    },
  );
  try {
    await signIn(page, userWithRole("viewer"));
    await page.goto(`/runs/${live}`);
    await expect(page.getByTestId("run-eta")).toContainText(/left|about to finish/);
    await expect(page.getByTestId("step-0").getByTestId("slow-note")).toContainText(/slower than usual: median \d/);
  } finally {
    await dbQuery(`UPDATE "Run" SET status = 'cancelled', "finishedAt" = now() WHERE id = $1`, [live]);
    await dbQuery(
      `UPDATE "RunStep" SET status = 'cancelled', "finishedAt" = now() WHERE "runId" = $1 AND status = 'running'`,
      [live],
    );
    await dbQuery(`UPDATE "RunStep" SET status = 'skipped' WHERE "runId" = $1 AND status = 'pending'`, [live]);
  }
});
