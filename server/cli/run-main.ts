import "server-only";
import { ConfigError } from "@/server/env";
import { AppError } from "@/server/errors";

// Entry-point wrapper for command-line processes: expected failures print one line, not a stack.

const EXPECTED = ["ConfigError", "DatabaseUnreachableError", "EmbeddedPostgresError", "ClusterConfigError", "UsageError"];

/** Runs `main`, exiting 1 with a one-line message for configuration and connection errors. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => {
      const e = err as Error;
      if (err instanceof ConfigError || EXPECTED.includes(e?.name) || EXPECTED.includes(e?.constructor?.name)) {
        console.error(`error: ${e.message}`);
        process.exit(e.name === "UsageError" ? 2 : 1);
      }
      if (err instanceof AppError) {
        console.error(`refused: ${e.message}`);
        process.exit(1);
      }
      console.error(err);
      process.exit(1);
    },
  );
}
