import fs from "node:fs";
import { defineConfig } from "@playwright/test";

// End-to-end tests drive a real Chromium against a production build started by e2e/global-setup.ts.
// Debian's Chromium by default; PLAYWRIGHT_CHROMIUM_PATH picks another (or Playwright's own, if installed).
// The portal under test protects /api/metrics with this token (a test value, not a secret); specs read it too.
process.env.PORTAL_METRICS_TOKEN ??= "e2e-metrics-token-not-a-secret";

const executablePath =
  process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${process.env.E2E_PORT ?? 3100}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
});
