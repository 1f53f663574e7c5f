// A guarded provision in Chromium: the plan summary on the run page, the requester told who must approve
// (and offered no Approve), a second person approving with a comment, and the run continuing to the end.
import { expect, test } from "@playwright/test";
import { dbQuery, signIn, userWithRole } from "./fixtures";

const C = "growbin-sandbox";

// The e2e portal has one sandbox cluster, which other specs provision without approval. This spec turns
// approval on for it in the Cluster table (what `approval: { required: true }` in portal.config.json
// writes there at start-up; start-run and the worker read it from the table) and restores it afterwards.
// Users are created first: the CLI that creates them re-syncs the table from the config file.
test("a guarded provision shows its plan, waits for a second person, and continues once approved", async ({
  browser,
}) => {
  test.setTimeout(360_000);
  const requester = userWithRole("operator");
  const approver = userWithRole("admin");
  await dbQuery(`UPDATE "Cluster" SET config = jsonb_set(config, '{approval}', '{"required": true}') WHERE name = $1`, [
    C,
  ]);
  const asRequester = await browser.newPage();
  const asApprover = await browser.newPage();
  try {
    await signIn(asRequester, requester);
    await asRequester.goto(`/c/${C}`);
    await asRequester.getByTestId("start-provision").click();
    await asRequester.getByTestId("confirm-reason").fill("e2e: guarded provision");
    await asRequester.getByTestId("confirm-submit").click();
    await expect(asRequester).toHaveURL(/\/runs\/[a-z0-9]+$/);
    const runUrl = asRequester.url();

    await expect(asRequester.getByTestId("run-status")).toHaveText("awaiting approval", { timeout: 120_000 });
    await expect(asRequester.getByTestId("step-0")).toContainText("succeeded");
    await expect(asRequester.getByTestId("plan-counts")).toContainText(
      /\d+ to add, \d+ to change, \d+ to replace, \d+ to destroy/,
    );
    await expect(asRequester.getByTestId("approval-state")).toHaveText(
      /^Waiting for approval by an admin other than you, expires \d\d:\d\d UTC\.$/,
    );
    await expect(asRequester.getByTestId("approve-run")).toHaveCount(0);
    await expect(asRequester.getByTestId("reject-run")).toHaveCount(0);

    await signIn(asApprover, approver);
    await asApprover.goto(runUrl);
    await expect(asApprover.getByTestId("approval-state")).toContainText("other than e2e-operator");
    await asApprover.getByTestId("approve-run").click();
    const dialog = asApprover.getByTestId("approval-dialog");
    await expect(dialog.getByTestId("confirm-submit")).toBeDisabled(); // a comment is required
    await dialog.getByTestId("confirm-reason").fill("e2e: plan reviewed");
    await dialog.getByTestId("confirm-submit").click();
    await expect(asApprover.getByTestId("approval-state")).toHaveText("Approved by admin: “e2e: plan reviewed”", {
      timeout: 30_000,
    });

    // The requester's page follows live: the run continues with the saved plan and finishes.
    await expect(asRequester.getByTestId("run-status")).toHaveText(/queued|running|succeeded/, { timeout: 30_000 });
    await expect(asRequester.getByTestId("run-status")).toHaveText("succeeded", { timeout: 300_000 });
    const log = await dbQuery<{ text: string }>(
      `SELECT text FROM "LogLine" WHERE "runId" = $1 AND text LIKE '%--plan %'`,
      [runUrl.split("/").pop()],
    );
    expect(log.length).toBeGreaterThan(0);
  } finally {
    await dbQuery(`UPDATE "Cluster" SET config = config - 'approval' WHERE name = $1`, [C]);
    await asRequester.close();
    await asApprover.close();
  }
});
