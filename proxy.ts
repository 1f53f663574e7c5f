import { NextResponse, type NextRequest } from "next/server";
import { invalidDateParam } from "@/server/runs/calendar-date";

// Runs before every page: sets a nonce-based Content-Security-Policy, and sends visitors without a
// session cookie to sign-in. It is a convenience, never the gate: pages, actions and route handlers
// check the session and role themselves.

// The icons and manifest that every page, the sign-in page included, links to (app/icon.svg,
// app/apple-icon.png, app/manifest.ts, public/): served without a session, or they would redirect.
const PUBLIC_ASSETS = /^\/(icon\.svg|apple-icon\.png|icon-\d+\.png|manifest\.webmanifest)$/;
const PUBLIC = [
  /^\/signin/,
  /^\/api\/auth\//,
  /^\/api\/healthz/,
  /^\/api\/metrics/,
  /^\/_next\//,
  /^\/favicon/,
  PUBLIC_ASSETS,
];

function csp(nonce: string, dev: boolean) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https://avatars.githubusercontent.com",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** Strict-Transport-Security for a portal whose public URL is https (PORTAL_URL, else AUTH_URL); none for http,
 * where it would have no effect or, on a host later moved to https, pin nothing wrong. One year, this host only:
 * other hosts of the organisation's domain may still serve plain http. */
export function hstsHeader(publicUrl: string | undefined): string | null {
  return publicUrl && /^https:\/\//i.test(publicUrl) ? "max-age=31536000" : null;
}

/** The portal's own response headers: the CSP, and HSTS when the portal is served over https. */
function secure<R extends Response>(res: R, policy: string): R {
  res.headers.set("Content-Security-Policy", policy);
  // proxy.ts is bundled apart from server/env.ts, so it reads the two URLs itself (eslint allows it here).
  const hsts = hstsHeader(process.env.PORTAL_URL || process.env.AUTH_URL);
  if (hsts) res.headers.set("Strict-Transport-Security", hsts);
  return res;
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = csp(nonce, process.env.NODE_ENV === "development");
  const { pathname, search } = request.nextUrl;
  const hasSession = request.cookies.getAll().some((c) => c.name.endsWith("authjs.session-token"));
  if (!hasSession && !PUBLIC.some((p) => p.test(pathname)) && !pathname.startsWith("/api/")) {
    const url = new URL("/signin", request.url);
    if (pathname !== "/") url.searchParams.set("callbackUrl", pathname + search);
    return secure(NextResponse.redirect(url), policy);
  }
  // A page cannot choose its status in the App Router: an impossible date in the runs filters is answered here,
  // 400 naming the field (the export route answers the same for its own URL).
  const badDate = pathname === "/runs" ? invalidDateParam(request.nextUrl.searchParams, ["from", "to"]) : null;
  if (badDate) {
    const message = `Invalid filter ${badDate.name}: "${badDate.value}" is not a date. Use YYYY-MM-DD with a real month and day.`;
    const escaped = message.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Invalid filter</title></head><body><p role="alert">${escaped}</p><p><a href="/runs">Back to the runs list</a></p></body></html>`;
    return secure(
      new NextResponse(body, { status: 400, headers: { "content-type": "text/html; charset=utf-8" } }),
      policy,
    );
  }
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", policy);
  return secure(NextResponse.next({ request: { headers } }), policy);
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
