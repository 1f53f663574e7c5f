import "server-only";
import type { Problem, SourceName, SourceResult } from "@/server/cluster/health/types";

// Runs one source under its own deadline and turns any failure into a one-line error, never a throw.

/** The one-line text shown for a failed source (a source's own error, never a stack). */
export function oneLine(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  let msg = e?.message || e?.code || String(err);
  // fetch and the AWS SDK wrap the socket error: name it ("fetch failed: ECONNREFUSED 127.0.0.1:1").
  if (e?.cause && (e.cause.code || e.cause.message) && !msg.includes(e.cause.message ?? "\u0000"))
    msg += `: ${e.cause.message ?? e.cause.code}`;
  return msg.replace(/\s+/g, " ").trim().slice(0, 240);
}

/** Runs `fn` with an AbortSignal that fires after `timeoutMs`. */
export async function runSource<T>(
  source: SourceName,
  timeoutMs: number,
  fn: (signal: AbortSignal) => Promise<{ data: T; problems: Problem[] }>,
): Promise<SourceResult<T>> {
  const started = performance.now();
  const ctl = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctl.abort();
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const { data, problems } = await Promise.race([fn(ctl.signal), deadline]);
    return { source, ok: true, data, problems, durationMs: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      source,
      ok: false,
      error: ctl.signal.aborted ? `timed out after ${timeoutMs} ms` : oneLine(err),
      problems: [],
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
  }
}
