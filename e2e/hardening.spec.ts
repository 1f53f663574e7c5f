// Sign-in throttling, revocable sessions and the health probe, through real HTTP against the running portal.
import fs from "node:fs";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { dbQuery, e2eState, portalCli, signIn } from "./fixtures";

const baseURL = () => `http://localhost:${e2eState().port}`;

/** A fresh cookie jar, as a new client would have. */
async function client(): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: baseURL() });
}

/** Signs in through next-auth's own credentials endpoint, as a script would; the answer as the client sees it. */
async function postSignIn(api: APIRequestContext, username: string, password: string, address: string) {
  const headers = { "x-forwarded-for": address };
  const { csrfToken } = (await (await api.get("/api/auth/csrf", { headers })).json()) as { csrfToken: string };
  const res = await api.post("/api/auth/callback/local", {
    form: { username, password, csrfToken, callbackUrl: "/" },
    headers,
    maxRedirects: 0,
  });
  const cookies = (await api.storageState()).cookies;
  return {
    status: res.status(),
    location: res.headers()["location"] ?? "",
    body: await res.text(),
    signedIn: cookies.some((c) => c.name.endsWith("authjs.session-token")),
  };
}

/** Creates a local user through the CLI and returns its generated password. */
function newUser(username: string, role: "viewer" | "operator" | "admin"): { username: string; password: string } {
  const out = portalCli(["user", "add", username, "--role", role]);
  return { username, password: /password: (\S+)/.exec(out)![1]! };
}

test.describe("sign-in", () => {
  test("a burst of wrong passwords throttles the user: the right one is then refused with the same answer, and the burst is audited", async () => {
    const user = newUser("e2e-throttled", "viewer");
    const address = "198.51.100.20";
    const wrong = await postSignIn(await client(), user.username, "not-it-0", address);
    const unknown = await postSignIn(await client(), "e2e-nobody-at-all", "not-it", address);
    expect(wrong.signedIn).toBe(false);
    expect(wrong.status).toBe(302);
    expect(wrong.location).toContain("/signin?error=CredentialsSignin");
    for (let i = 1; i < 12; i++) await postSignIn(await client(), user.username, `not-it-${i}`, address);
    const right = await postSignIn(await client(), user.username, user.password, address);
    expect(right.signedIn).toBe(false);
    for (const other of [unknown, right])
      expect({ status: other.status, location: other.location, body: other.body }).toEqual({
        status: wrong.status,
        location: wrong.location,
        body: wrong.body,
      });
    const audits = await dbQuery<{ detail: { failures: number } }>(
      `SELECT detail FROM "AuditEvent" WHERE action = 'auth.sign-in.throttled' AND target = $1 ORDER BY id`,
      [`user:${user.username}`],
    );
    expect(audits.length).toBeGreaterThan(0);
    expect(audits.length).toBeLessThan(6);
  });

  test("one address trying many usernames is throttled, even for a real account, while other addresses still sign in", async () => {
    const user = newUser("e2e-sprayed", "viewer");
    for (let i = 0; i < 21; i++) await postSignIn(await client(), `e2e-spray-${i}`, "Winter2026!", "198.51.100.30");
    expect((await postSignIn(await client(), user.username, user.password, "198.51.100.30")).signedIn).toBe(false);
    expect((await postSignIn(await client(), user.username, user.password, "198.51.100.31")).signedIn).toBe(true);
  });
});

test.describe("sessions", () => {
  /** A signed-in client for a new user, from its own address (the throttle tests above use others). */
  async function signedIn(username: string, role: "viewer" | "operator" | "admin") {
    const user = newUser(username, role);
    const api = await client();
    expect((await postSignIn(api, user.username, user.password, "127.0.0.1")).signedIn).toBe(true);
    return { user, api };
  }

  test("after sign-out the old cookie is refused everywhere, and /api/auth/session neither accepts nor slides it", async () => {
    const { api } = await signedIn("e2e-signs-out", "viewer");
    const stolen = await api.storageState();
    expect(
      ((await (await api.get("/api/auth/session")).json()) as { user?: { id?: string } } | null)?.user?.id,
    ).toBeTruthy();
    const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
    expect((await api.post("/api/auth/signout", { form: { csrfToken }, maxRedirects: 0 })).status()).toBe(302);
    const replay = await playwrightRequest.newContext({ baseURL: baseURL(), storageState: stolen });
    const session = await replay.get("/api/auth/session");
    expect(await session.json()).toBeNull();
    expect(session.headers()["set-cookie"] ?? "").toMatch(/authjs\.session-token=;/);
    const again = await playwrightRequest.newContext({ baseURL: baseURL(), storageState: stolen });
    expect((await again.get("/api/runs/export")).status()).toBe(401);
    const page = await again.get("/runs", { maxRedirects: 0 });
    expect(page.status()).toBe(307);
    expect(page.headers()["location"]).toContain("/signin");
  });

  test("a role change and a deactivation each end the user's sessions at the next request; a deactivated user cannot sign in", async () => {
    const { user, api } = await signedIn("e2e-changed", "operator");
    expect((await api.get("/api/runs/export")).status()).toBe(200);
    portalCli(["user", "role", user.username, "viewer"]);
    expect((await api.get("/api/runs/export")).status()).toBe(401);
    const second = await client();
    expect((await postSignIn(second, user.username, user.password, "127.0.0.1")).signedIn).toBe(true);
    expect((await second.get("/api/runs/export")).status()).toBe(200);
    expect(portalCli(["user", "deactivate", user.username])).toContain("deactivated");
    expect((await second.get("/api/runs/export")).status()).toBe(401);
    expect((await postSignIn(await client(), user.username, user.password, "127.0.0.1")).signedIn).toBe(false);
    portalCli(["user", "activate", user.username]);
    expect((await postSignIn(await client(), user.username, user.password, "127.0.0.1")).signedIn).toBe(true);
  });

  test("an admin deactivates a user on Settings; that user's open page is signed out at its next request", async ({
    page,
    browser,
  }) => {
    const victim = newUser("e2e-deactivated", "viewer");
    await signIn(page, e2eState().admin);
    const other = await browser.newPage();
    await signIn(other, victim);
    await page.goto("/settings");
    await page.getByRole("button", { name: `Deactivate ${victim.username}` }).click();
    await expect(page.getByText("Deactivated: signed out everywhere.")).toBeVisible();
    const audit = await dbQuery(`SELECT 1 FROM "AuditEvent" WHERE action = 'user.set-active' AND outcome = 'success'`);
    expect(audit.length).toBeGreaterThan(0);
    await other.reload();
    await expect(other).toHaveURL(/\/signin/);
    await other.close();
  });
});

test("a burst of 40 anonymous health probes is answered from one shared check", async () => {
  const api = await client();
  const answers = await Promise.all(Array.from({ length: 40 }, () => api.get("/api/healthz")));
  expect(answers.map((r) => r.status())).toEqual(Array(40).fill(200));
  const checkedAt = new Set(
    await Promise.all(answers.map(async (r) => ((await r.json()) as { checkedAt: string }).checkedAt)),
  );
  // One check, or two if the burst straddled the end of the cache period: never one per request.
  expect(checkedAt.size).toBeLessThanOrEqual(2);
});

test("a wrong password keeps the typed username", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Username").fill("e2e-typo-user");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toBeVisible();
  await expect(page.getByLabel("Username")).toHaveValue("e2e-typo-user");
  await expect(page.getByLabel("Password")).toHaveValue("");
});

test("a forged session cookie is refused and logged as one line, not a stack trace", async () => {
  const log = e2eState().logFile;
  const before = fs.readFileSync(log, "utf8").length;
  const api = await playwrightRequest.newContext({
    baseURL: baseURL(),
    extraHTTPHeaders: { cookie: "authjs.session-token=forged-e2e-cookie-value" },
  });
  expect(await (await api.get("/api/auth/session")).json()).toBeNull();
  await expect.poll(() => fs.readFileSync(log, "utf8").slice(before)).toContain("JWTSessionError");
  const written = fs.readFileSync(log, "utf8").slice(before).split("\n");
  expect(written.filter((l) => l.includes("JWTSessionError"))).toHaveLength(1);
  expect(written.filter((l) => /^\s+at /.test(l))).toEqual([]);
});

test("an impossible date in the runs filters is a 400 naming the field, on the page and the CSV export", async () => {
  const user = newUser("e2e-dates", "viewer");
  const api = await client();
  expect((await postSignIn(api, user.username, user.password, "127.0.0.1")).signedIn).toBe(true);
  const page = await api.get("/runs?from=2026-13-45");
  expect(page.status()).toBe(400);
  expect(await page.text()).toContain("Invalid filter from");
  const csv = await api.get("/api/runs/export?to=2026-02-30");
  expect(csv.status()).toBe(400);
  expect(((await csv.json()) as { error: string }).error).toMatch(/to: not a date/);
  const ok = await api.get("/api/runs/export?from=2026-02-28");
  expect(ok.status()).toBe(200);
  expect((await ok.text()).split("\r\n")[0]).toBe(
    '"id","cluster","pipeline","status","requested_by","reason","created_at","started_at","finished_at","duration_s"',
  );
});

test.describe("every page and data route refuses a visitor without a valid session", () => {
  const C = "growbin-sandbox";
  const VALUES: Record<string, string> = {
    cluster: C,
    node: "worker-1",
    tier: "1",
    namespace: "default",
    pod: "web-1",
    id: "cmnosuchrun00000000000000",
  };
  const PUBLIC = new Set(["/signin", "/api/auth/[...nextauth]", "/api/healthz", "/api/metrics"]);
  /** Every page.tsx and route.ts under app/, as a URL with plausible values in its [segments]. */
  function urls(name: "page.tsx" | "route.ts"): string[] {
    const found = fs
      .readdirSync("app", { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(`/${name}`) || f === name);
    return found
      .map((f) => `/${f.slice(0, -name.length - 1)}`.replace(/\/\([^)]+\)/g, "") || "/")
      .filter((u) => !PUBLIC.has(u))
      .map(
        (u) =>
          u.replace(/\[([^\]]+)\]/g, (_, k: string) => VALUES[k] ?? "x") +
          (u.endsWith("/events") && u.includes("/clusters/") ? "?node=worker-1" : ""),
      )
      .sort();
  }
  const pages = urls("page.tsx");
  const routes = urls("route.ts");

  async function expectRefused(api: APIRequestContext, who: string) {
    expect(pages.length, "pages found").toBeGreaterThanOrEqual(15);
    expect(routes.length, "routes found").toBeGreaterThanOrEqual(10);
    for (const url of pages) {
      const res = await api.get(url, { maxRedirects: 0 });
      expect(`${who} ${url}: ${res.status()} ${res.headers()["location"] ?? ""}`).toMatch(/: 307 .*\/signin/);
    }
    for (const url of routes) {
      const res = await api.get(url, { maxRedirects: 0 });
      expect(`${who} ${url}: ${res.status()}`).toBe(`${who} ${url}: 401`);
      expect(await res.json()).toEqual({ error: "Sign in first." });
    }
  }

  test("no cookie at all", async () => {
    await expectRefused(await client(), "anonymous");
  });

  test("a forged cookie, which the proxy lets through to the pages' own guards", async () => {
    const api = await playwrightRequest.newContext({
      baseURL: baseURL(),
      extraHTTPHeaders: { cookie: "authjs.session-token=forged-guard-cookie" },
    });
    await expectRefused(api, "forged");
  });

  test("a deactivated user's cookie; a viewer gets 403 on the admin pages", async () => {
    const user = newUser("e2e-guard-deactivated", "viewer");
    const api = await client();
    expect((await postSignIn(api, user.username, user.password, "127.0.0.1")).signedIn).toBe(true);
    for (const url of ["/settings", "/settings/deliveries", "/audit"])
      expect((await api.get(url, { maxRedirects: 0 })).status(), url).toBe(403);
    expect((await api.get(`/c/${C}/tiers`, { maxRedirects: 0 })).status()).toBe(200);
    const stolen = await api.storageState();
    portalCli(["user", "deactivate", user.username]);
    await expectRefused(
      await playwrightRequest.newContext({ baseURL: baseURL(), storageState: stolen }),
      "deactivated",
    );
  });
});
