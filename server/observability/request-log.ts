import "server-only";
import crypto from "node:crypto";
import { log, withRequestId } from "@/server/log";

// Wraps a route handler: a request id (the caller's x-request-id when it is sane, else a new one) on
// every log line written while handling it and on the response; failures and slow answers are logged.

const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Runs `handler` under a request id and returns its response with `x-request-id` set. */
export async function withRequestLog(
  request: Request,
  route: string,
  handler: () => Promise<Response>,
): Promise<Response> {
  const incoming = request.headers.get("x-request-id");
  const id = incoming && SANE_ID.test(incoming) ? incoming : crypto.randomUUID();
  return withRequestId(id, async () => {
    const started = performance.now();
    let res: Response;
    try {
      res = await handler();
    } catch (err) {
      log.error("route handler failed", { route, error: err });
      res = Response.json({ error: "Something went wrong; it has been logged." }, { status: 500 });
    }
    const durationMs = Math.round(performance.now() - started);
    res.headers.set("x-request-id", id);
    // Probes and scrapes arrive every few seconds: only what needs attention is logged.
    if (res.status >= 400 || durationMs > 1_000)
      log.info("request", { method: request.method, route, status: res.status, durationMs });
    return res;
  });
}
