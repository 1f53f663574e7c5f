// ESLint: Next's rules plus type-aware TypeScript rules; process.env is read only in server/env.ts.
import nextVitals from "eslint-config-next/core-web-vitals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", ".data/**", "server/generated/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
  ...nextVitals,
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/no-floating-promises": "error",
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read settings through server/env.ts." }],
    },
  },
  {
    // The modules that own configuration, and tooling that runs outside the app.
    files: ["server/env.ts", "prisma.config.ts", "proxy.ts", "playwright.config.ts", "infra/**", "e2e/**", "bench/**", "**/*.test.ts", "test/**", "server/cli/start.ts", "server/db.ts"],
    rules: { "no-restricted-properties": "off" },
  },
);
