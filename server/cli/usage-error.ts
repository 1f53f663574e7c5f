import "server-only";
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A command line that cannot be understood; the CLI prints it as one line and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** parseArgs with positionals, turning its errors (unknown option, missing value) into a UsageError. */
export function parseCommandLine(argv: string[], usage: string, options: NonNullable<ParseArgsConfig["options"]>) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
}
