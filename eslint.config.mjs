// ESLint: Next's rules plus type-aware TypeScript rules; process.env is read only in server/env.ts.
import nextVitals from "eslint-config-next/core-web-vitals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".data/**",
      "server/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  ...nextVitals,
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/no-floating-promises": "error",
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read settings through server/env.ts." },
      ],
    },
  },
  {
    // The web's code never loads the cloud SDKs, the Kubernetes transport, the health sources' collectors or the
    // worker: pages and components read health through server/cluster/health/ and pod reads through
    // server/cluster/reads/. Types may be imported (they leave no code in the bundle).
    files: ["app/**/*.ts", "app/**/*.tsx", "components/**/*.ts", "components/**/*.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@aws-sdk/*"],
              message: "The AWS SDK is the worker's: read EC2 through server/cluster/health/.",
              allowTypeImports: true,
            },
            {
              group: ["@kubernetes/client-node"],
              message: "The Kubernetes client is for tests and benchmarks.",
              allowTypeImports: true,
            },
            {
              regex: "(^@/|/)server/(cluster/(sources|kube)|worker)/",
              message:
                "The collectors, the Kubernetes transport and the worker stay out of the web: use server/cluster/health/ or server/cluster/reads/.",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Server code never reaches into the UI: shared client-safe code lives in lib/.
    files: ["server/**/*.ts", "server/**/*.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^@/|/)components/",
              message: "server/ must not import from components/: move the shared code to lib/.",
            },
          ],
        },
      ],
    },
  },
  {
    // The modules that own configuration, and tooling that runs outside the app.
    files: [
      "server/env.ts",
      "prisma.config.ts",
      "proxy.ts",
      "playwright.config.ts",
      "infra/**",
      "e2e/**",
      "bench/**",
      "**/*.test.ts",
      "test/**",
      "server/cli/start.ts",
      "server/db.ts",
    ],
    rules: { "no-restricted-properties": "off" },
  },
);
