import path from "node:path";
import { defineConfig } from "vitest/config";

// Unit and integration tests sit beside the code; e2e/ belongs to Playwright.
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      "server-only": path.resolve(import.meta.dirname, "test/server-only-stub.ts"),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", ".data/**"],
    environment: "node",
    // Steps inherit an allow-listed environment: the fixture scripts' own switches are added to it.
    env: { PORTAL_STEP_ENV: "FIXTURE_*,CANARY_*" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
  },
});
