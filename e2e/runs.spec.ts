import { expect, test, type Request } from "@playwright/test";
import { dbQuery, signIn, userWithRole } from "./fixtures";

test.describe.configure({ mode: "serial" });

let startAction: { headers: Record<string, string>; body: string } | null = null;

test("an operator rebuilds the sandbox cluster and watches it finish", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, userWithRole("operator"));
  await page.goto("/c/growbin-sandbox");
  await expect(page.getByTestId("start-teardown")).toHaveCount(0); // teardown is admin-only
  page.on("request", (r: Request) => {
    if (r.method() === "POST" && r.headers()["next-action"] && (r.postData() ?? "").includes("rebuild")) {
      startAction = { headers: r.headers(), body: r.postData() ?? "" };
    }
  });
  await page.getByTestId("start-rebuild").click();
  await page.getByTestId("confirm-reason").fill("e2e: rebuild the sandbox");
  await expect(page.getByTestId("confirm-submit")).toBeDisabled();
  await page.getByTestId("confirm-cluster").fill("growbin-sandbox");
  await page.getByTestId("confirm-submit").click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
  await expect(page.getByRole("heading", { name: "rebuild on growbin-sandbox" })).toBeVisible();
  await expect(page.getByText("e2e-operator").first()).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText(/running|succeeded/, { timeout: 30_000 });
  await expect(page.locator('[data-testid^="log-line-"]').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 200_000 });
  await expect(page.getByTestId("step-0")).toContainText("succeeded");
  expect(startAction).not.toBeNull();
});

test("a viewer sees no run buttons, and posting the start action anyway is refused and changes nothing", async ({
  page,
}) => {
  await signIn(page, userWithRole("viewer"));
  await page.goto("/c/growbin-sandbox");
  await expect(page.getByText("Viewers can watch runs")).toBeVisible();
  for (const id of ["start-rebuild", "start-provision", "start-verify", "start-teardown", "start-reset-node"]) {
    await expect(page.getByTestId(id)).toHaveCount(0);
  }
  const count = async () => (await dbQuery<{ n: string }>(`SELECT count(*) AS n FROM "Run"`))[0]!.n;
  const before = await count();
  // Replay the operator's captured server-action request with the viewer's session.
  const res = await page.request.post("/c/growbin-sandbox", {
    headers: {
      "next-action": startAction!.headers["next-action"]!,
      "content-type": startAction!.headers["content-type"]!,
      accept: "text/x-component",
    },
    data: startAction!.body,
  });
  const text = await res.text();
  expect(text).toContain("Not allowed: this needs the operator role");
  expect(await count()).toBe(before);
  const refusals = await dbQuery(
    `SELECT 1 FROM "AuditEvent" WHERE actor = 'e2e-viewer' AND action = 'run.start' AND outcome = 'refused'`,
  );
  expect(refusals.length).toBeGreaterThan(0);
});

test("a request carrying x-middleware-subrequest gets no further than one without it", async ({ request }) => {
  for (const path of ["/settings", "/audit", "/c/growbin-sandbox"]) {
    const res = await request.get(path, {
      headers: { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
      maxRedirects: 0,
    });
    expect([302, 303, 307, 308, 401, 403]).toContain(res.status());
  }
  const events = await request.get("/api/runs/anything/events", {
    headers: { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
  });
  expect(events.status()).toBe(401);
});
