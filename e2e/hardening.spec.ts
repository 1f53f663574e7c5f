// Sign-in throttling, revocable sessions and the health probe, through real HTTP against the running portal.
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { dbQuery, e2eState, portalCli } from "./fixtures";

const baseURL = () => `http://localhost:${e2eState().port}`;

/** A fresh cookie jar, as a new client would have. */
async function client(): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: baseURL() });
}

/** Signs in through next-auth's own credentials endpoint, as a script would; the answer as the client sees it. */
async function postSignIn(api: APIRequestContext, username: string, password: string, address: string) {
  const headers = { "x-forwarded-for": address };
  const { csrfToken } = (await (await api.get("/api/auth/csrf", { headers })).json()) as { csrfToken: string };
  const res = await api.post("/api/auth/callback/local", { form: { username, password, csrfToken, callbackUrl: "/" }, headers, maxRedirects: 0 });
  const cookies = (await api.storageState()).cookies;
  return { status: res.status(), location: res.headers()["location"] ?? "", body: await res.text(), signedIn: cookies.some((c) => c.name.endsWith("authjs.session-token")) };
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
    for (const other of [unknown, right]) expect({ status: other.status, location: other.location, body: other.body }).toEqual({ status: wrong.status, location: wrong.location, body: wrong.body });
    const audits = await dbQuery<{ detail: { failures: number } }>(`SELECT detail FROM "AuditEvent" WHERE action = 'auth.sign-in.throttled' AND target = $1 ORDER BY id`, [`user:${user.username}`]);
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
