import "server-only";

// Expected errors: their messages are safe to show to the user. Anything else is logged and hidden.

export class AppError extends Error {
  readonly expose = true;
}
/** The thing asked for does not exist (or is not visible). */
export class NotFoundError extends AppError {
  override name = "NotFoundError";
}
/** The caller is signed in but may not do this. */
export class ForbiddenError extends AppError {
  override name = "ForbiddenError";
}
/** The caller is not signed in, or their session is not valid. */
export class UnauthenticatedError extends AppError {
  override name = "UnauthenticatedError";
}
/** The request conflicts with the current state (an active run holds the cluster). */
export class ConflictError extends AppError {
  override name = "ConflictError";
  constructor(
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }
}
/** The input was understood but not acceptable. */
export class ValidationError extends AppError {
  override name = "ValidationError";
}
/** Too many requests from one user. */
export class RateLimitError extends AppError {
  override name = "RateLimitError";
}

/** The message to show for an error: its own for expected errors, a generic one otherwise. */
export function publicMessage(err: unknown): string {
  return err instanceof AppError ? err.message : "Something went wrong on the server. It has been logged.";
}
