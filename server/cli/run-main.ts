import "server-only";
import { ConfigError } from "@/server/env";
import { AppError, NotFoundError } from "@/server/errors";
import { CliError, EXIT } from "@/server/cli/exit-codes";

// Entry-point wrapper for command-line processes: every failure prints one line (cause and fix),
// never a stack trace, and exits with a documented code (server/cli/exit-codes.ts).

const EXPECTED = ["DatabaseUnreachableError", "EmbeddedPostgresError", "ClusterConfigError"];

/** The line to print and the exit code for an error that ended a command. */
export function describeFailure(err: unknown): { line: string; code: number } {
  const e = err as Error | undefined;
  const name = e?.name ?? "";
  const message = String(e?.message ?? err).trim();
  if (name === "UsageError") return { line: `error: ${message}`, code: EXIT.usage };
  if (err instanceof CliError) return { line: `error: ${message}`, code: err.code };
  if (err instanceof ConfigError || EXPECTED.includes(name) || EXPECTED.includes(e?.constructor?.name ?? ""))
    return { line: `error: ${message}`, code: EXIT.failed };
  // An unknown cluster or run is a mistake on the command line, not a failure of the system.
  if (err instanceof NotFoundError) return { line: `error: ${message}`, code: EXIT.usage };
  if (err instanceof AppError) return { line: `refused: ${message}`, code: EXIT.failed };
  return {
    line: `error: ${message.split("\n").find((l) => l.trim()) ?? "unknown failure"} (unexpected: please report it with the command you ran)`,
    code: EXIT.failed,
  };
}

/** Runs `main`, then exits with process.exitCode, or with one line and the failure's code. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? EXIT.ok),
    (err: unknown) => {
      const { line, code } = describeFailure(err);
      console.error(line);
      process.exit(code);
    },
  );
}
