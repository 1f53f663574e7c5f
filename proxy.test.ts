import { NextRequest } from "next/server";
import { afterEach, expect, test } from "vitest";
import { proxy } from "@/proxy";

// The proxy's headers on real requests: HSTS only when the portal's public URL is https.

const saved = { PORTAL_URL: process.env.PORTAL_URL, AUTH_URL: process.env.AUTH_URL };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const hsts = (url: string) => proxy(new NextRequest(url)).headers.get("strict-transport-security");

test("an https public URL sends HSTS on pages, redirects to sign-in and refusals alike; http sends none", () => {
  process.env.PORTAL_URL = "https://ops.growbin.app";
  expect(hsts("https://ops.growbin.app/signin")).toBe("max-age=31536000");
  expect(hsts("https://ops.growbin.app/runs")).toBe("max-age=31536000"); // no session: a redirect
  expect(hsts("https://ops.growbin.app/runs?from=2026-13-45")).toBe("max-age=31536000");
  process.env.PORTAL_URL = "";
  process.env.AUTH_URL = "https://ops.growbin.app";
  expect(hsts("https://ops.growbin.app/signin")).toBe("max-age=31536000");
  process.env.AUTH_URL = "http://localhost:3000";
  expect(hsts("http://localhost:3000/signin")).toBeNull();
});

test("every answer carries the CSP, and an impossible date filter is refused before the page renders", async () => {
  const req = new NextRequest("http://localhost:3000/runs?from=2026-13-45", {
    headers: { cookie: "authjs.session-token=x" },
  });
  const res = proxy(req);
  expect(res.status).toBe(400);
  expect(await res.text()).toContain("Invalid filter from");
  expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
});
