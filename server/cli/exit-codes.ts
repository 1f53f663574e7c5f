import "server-only";

// The CLI's exit codes, documented in the README ("Command line"), so scripts and probes can tell
// a typo from a sick cluster from a failed run.

/** Every exit code the CLI uses. */
export const EXIT = {
  /** The command did what was asked; `health`: every tier ok. */
  ok: 0,
  /** The run failed, or the CLI could not do its job (database, config, a refusal). */
  failed: 1,
  /** The command line is wrong: unknown command, option, cluster, pipeline, node or run. */
  usage: 2,
  /** `health`: some tier is degraded or unknown. */
  degraded: 3,
  /** `health`: some tier is down. */
  down: 4,
  /** The operator pressed Ctrl-C: the run was cancelled (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

/** An expected failure: printed as one line (`error: …`), exit code `code`. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly code: number = EXIT.failed,
  ) {
    super(message);
  }
}
