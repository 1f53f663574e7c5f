import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

// Structured JSON-line logs for the portal's own processes. Errors keep their name and message only.
// Lines written while handling a request carry its id; fields named like secrets are never written,
// and passwords inside URLs are masked.

type Fields = Record<string, unknown>;

const SECRET_KEY = /(secret|token|password|passwd|authorization|cookie|api_?key|credential)/i;
const maskUserinfo = (s: string) => s.replace(/(\w+:\/\/[^/\s:@]+:)[^@\s/]+@/g, "$1[REDACTED]@");

const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `fn` with a request id that every log line written inside it carries. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return requestContext.run({ requestId }, fn);
}

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

function serialise(fields: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_KEY.test(k)) out[k] = "[REDACTED]";
    else if (v instanceof Error)
      out[k] = {
        name: v.name,
        message: maskUserinfo(v.message),
        stack: v.stack && maskUserinfo(v.stack.split("\n").slice(0, 5).join("\n")),
      };
    else out[k] = typeof v === "string" ? maskUserinfo(v) : v;
  }
  return out;
}

function write(level: string, msg: string, fields: Fields = {}) {
  const requestId = currentRequestId();
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    msg,
    ...(requestId ? { requestId } : {}),
    ...serialise(fields),
  });
  if (level === "error" || level === "warn") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

/** The portal's logger. */
export const log = {
  info: (msg: string, fields?: Fields) => write("info", msg, fields),
  warn: (msg: string, fields?: Fields) => write("warn", msg, fields),
  error: (msg: string, fields?: Fields) => write("error", msg, fields),
};
