import { NextResponse, type NextRequest } from "next/server";

// Runs before every page: sets a nonce-based Content-Security-Policy, and sends visitors without a
// session cookie to sign-in. It is a convenience, never the gate: pages, actions and route handlers
// check the session and role themselves.

// The icons and manifest that every page, the sign-in page included, links to (app/icon.svg,
// app/apple-icon.png, app/manifest.ts, public/): served without a session, or they would redirect.
const PUBLIC_ASSETS = /^\/(icon\.svg|apple-icon\.png|icon-\d+\.png|manifest\.webmanifest)$/;
const PUBLIC = [/^\/signin/, /^\/api\/auth\//, /^\/api\/healthz/, /^\/api\/metrics/, /^\/_next\//, /^\/favicon/, PUBLIC_ASSETS];

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

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = csp(nonce, process.env.NODE_ENV === "development");
  const { pathname, search } = request.nextUrl;
  const hasSession = request.cookies.getAll().some((c) => c.name.endsWith("authjs.session-token"));
  if (!hasSession && !PUBLIC.some((p) => p.test(pathname)) && !pathname.startsWith("/api/")) {
    const url = new URL("/signin", request.url);
    if (pathname !== "/") url.searchParams.set("callbackUrl", pathname + search);
    const res = NextResponse.redirect(url);
    res.headers.set("Content-Security-Policy", policy);
    return res;
  }
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", policy);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", policy);
  return res;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
