import "server-only";
import { notifyHub } from "@/server/db/notify-hub";
import { HEALTH_UPDATED } from "@/server/cluster/health/health-store";
import { log } from "@/server/log";

// The health push to open pages: a text/event-stream that says "changed" each time the worker's background
// process stores a new reading of the cluster. Every stream of the web process shares the process's one
// database listener (server/db/notify-hub.ts), so a hundred open pages cost one LISTEN, not a hundred. The page
// re-reads through the usual JSON routes (its React Query cache stays the store). While a stream is open it
// keeps asking for readings, as a polling page did, so the cluster stays watched.

/** How often an open stream sends a comment (proxies drop idle streams) and asks for the cluster to stay watched. */
export const KEEPALIVE_MS = 20_000;

export type HealthStreamOptions = {
  clusterId: string;
  /** Ends the stream (the request's signal: the browser went away). */
  signal: AbortSignal;
  /** Keeps the cluster watched (HEALTH_WANTED); failures are ignored, the next keepalive asks again. */
  askForHealth: () => Promise<void>;
  keepaliveMs?: number;
};

const enc = new TextEncoder();

/** The SSE response for one page. `changed` carries the stored reading's id (cluster) and a sequence number;
 * `resync` says the listener was lost and re-made, so a change may have been missed: refetch everything. */
export async function healthStream(o: HealthStreamOptions): Promise<Response> {
  let seq = 0;
  let close = () => undefined as void;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const send = (s: string) => {
        if (closed) return;
        try {
          controller.enqueue(enc.encode(s));
        } catch {
          close();
        }
      };
      let unsubscribe = () => undefined as void;
      const timer = setInterval(() => {
        send(": keepalive\n\n");
        void o.askForHealth().catch(() => undefined);
      }, o.keepaliveMs ?? KEEPALIVE_MS);
      close = () => {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      o.signal.addEventListener("abort", close, { once: true });
      // The browser's EventSource reconnects after `retry` ms when the stream ends or fails.
      send("retry: 2000\n\n");
      try {
        unsubscribe = await notifyHub().subscribe(HEALTH_UPDATED, o.clusterId, (payload) => {
          send(payload === null ? `event: resync\ndata: ${++seq}\n\n` : `event: changed\ndata: ${++seq}\n\n`);
        });
      } catch (err) {
        log.warn("health stream could not listen", { error: (err as Error).message });
        send(`event: down\ndata: ${JSON.stringify((err as Error).message)}\n\n`);
        return close();
      }
      if (closed) return unsubscribe();
      // Open: the page refetches once, for whatever was stored between its render and this subscription.
      send(`event: open\ndata: ${seq}\n\n`);
      void o.askForHealth().catch(() => undefined);
      if (o.signal.aborted) close();
    },
    cancel() {
      close();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
      connection: "keep-alive",
    },
  });
}
