import { expect, test } from "@playwright/test";
import { dbQuery, e2eState, signIn, userWithRole } from "./fixtures";

test("the printed admin signs in, sees the shell with the sandbox cluster, and signs out", async ({ page }) => {
  await signIn(page, e2eState().admin);
  await expect(page).toHaveURL(/\/c\/growbin-sandbox$/);
  await expect(page.getByTestId("cluster-name")).toHaveText("growbin-sandbox");
  await expect(page.getByRole("combobox", { name: "Cluster" }).first()).toHaveValue("growbin-sandbox");
  await expect(page.getByTestId("user-role").first()).toHaveText("admin");
  const nav = page.getByRole("navigation", { name: "Main" }).first();
  for (const item of ["Overview", "Runs", "Tiers", "Queues", "Argo CD", "Audit", "Settings"]) {
    await expect(nav.getByRole("link", { name: item, exact: true })).toBeVisible();
  }
  await nav.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/c/growbin-sandbox");
  await expect(page).toHaveURL(/\/signin/);
});

test("a wrong password is refused with a clear message and no session", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong username or password.");
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/signin/);
});

test("a viewer opening Settings gets a clear not-allowed page", async ({ page }) => {
  await signIn(page, userWithRole("viewer"));
  await page.goto("/settings");
  const alert = page.getByRole("alert").filter({ hasText: "Not allowed" });
  await expect(alert).toContainText("needs the admin role");
  await expect(alert).toContainText("You are signed in as viewer");
  await expect(page.getByText("Users and roles")).toHaveCount(0);
});

test("an unknown cluster or run in a URL is a 404 page, not an error page", async ({ page }) => {
  await signIn(page, userWithRole("viewer"));
  for (const url of [
    "/c/no-such-cluster",
    "/c/no-such-cluster/tiers",
    "/runs/cmnosuchrun0000000000000",
    "/runs?cluster=no-such-cluster",
  ]) {
    const res = await page.goto(url);
    expect(res?.status(), url).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  }
});

test("responses carry the security headers", async ({ request }) => {
  const res = await request.get("/signin");
  const csp = res.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(res.headers()["x-frame-options"]).toBe("DENY");
  expect(res.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(res.headers()["x-powered-by"]).toBeUndefined();
});

test("the shell works at phone width: the sidebar becomes a menu", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signIn(page, e2eState().admin);
  await page.getByRole("button", { name: "Menu" }).click();
  await page.locator("#mobile-nav").getByRole("link", { name: "Runs" }).click();
  await expect(page).toHaveURL(/\/runs\?cluster=growbin-sandbox/);
  await expect(page.getByRole("heading", { name: /Runs/ })).toBeVisible();
});

test("an admin changes a user's role on Settings, and it takes effect on that user's next request", async ({
  page,
  browser,
}) => {
  const op = userWithRole("operator");
  await signIn(page, e2eState().admin);
  await page.goto("/settings");
  const picker = page.getByRole("combobox", { name: `Role of ${op.username}` });
  await picker.selectOption("viewer");
  await expect(page.getByText("Saved.")).toBeVisible();
  const other = await browser.newPage();
  await signIn(other, op);
  await expect(other.getByTestId("user-role").first()).toHaveText("viewer");
  await picker.selectOption("operator");
  // "Saved." is already on screen from the first change: wait for the second to land in the database.
  await expect
    .poll(
      async () =>
        (await dbQuery<{ role: string }>(`SELECT role::text FROM "User" WHERE username = $1`, [op.username]))[0]?.role,
    )
    .toBe("operator");
  // A role change ends the user's sessions: the next request signs in again, with the new role.
  await other.reload();
  await expect(other).toHaveURL(/\/signin/);
  await signIn(other, op);
  await expect(other.getByTestId("user-role").first()).toHaveText("operator");
  await other.close();
});
