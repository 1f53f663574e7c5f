import "server-only";

/** A command line that cannot be understood; the CLI prints it as one line and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
