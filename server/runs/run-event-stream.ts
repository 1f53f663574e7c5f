import "server-only";
import { getRunSnapshot, linesAfter } from "@/server/runs/get-run";
import { isTerminalStatus } from "@/lib/run-states";
import { subscribeToRun } from "@/server/runs/run-events-hub";
import { log } from "@/server/log";

// The SSE stream of one run: the snapshot, then every log line after `afterSeq` (replay), then live
// lines and state changes as they come, ending with `end` at a terminal state. Lines go out in
// batches whose `id` is the last seq, so a reconnect with Last-Event-ID resumes with no gap or duplicate.

const PAGE = 5_000;
const RETRY_MS = 1_000;
const encoder = new TextEncoder();

/** Builds the event stream; `afterSeq` is the last line the client already has. */
export function runEventStream(
  runId: string,
  afterSeq: number,
  opts: { keepAliveMs?: number } = {},
): ReadableStream<Uint8Array> {
  let lastSeq = afterSeq;
  let closed = false;
  let unsubscribe: (() => void) | null = null;
  let keepAlive: NodeJS.Timeout | null = null;
  let pending: Promise<void> = Promise.resolve();
  let wantLines = false;
  let wantState = false;

  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        const send = async (text: string) => {
          // Respect the client's pace: a slow reader holds the replay back instead of growing memory.
          while (!closed && (controller.desiredSize ?? 1) <= 0) await new Promise((r) => setTimeout(r, 10));
          if (!closed) controller.enqueue(encoder.encode(text));
        };
        const close = () => {
          if (closed) return;
          closed = true;
          unsubscribe?.();
          if (keepAlive) clearInterval(keepAlive);
          controller.close();
        };
        const pumpLines = async () => {
          for (;;) {
            const lines = await linesAfter(runId, lastSeq, PAGE);
            if (!lines.length || closed) return;
            lastSeq = lines[lines.length - 1]!.seq;
            await send(`id: ${lastSeq}\nevent: lines\ndata: ${JSON.stringify(lines)}\n\n`);
            if (lines.length < PAGE) return;
          }
        };
        const sendState = async () => {
          const snap = await getRunSnapshot(runId);
          if (!snap || closed) return;
          await send(`event: run\ndata: ${JSON.stringify(snap)}\n\n`);
          if (isTerminalStatus(snap.status)) {
            await pumpLines(); // the worker stores every line before it ends the run
            await send(`event: end\ndata: ${JSON.stringify({ status: snap.status })}\n\n`);
            close();
          }
        };
        // Notifications only set flags; one loop does the reading, so events stay in order. A read that
        // fails (the database restarting) is tried again: lastSeq only moves past lines that were sent,
        // so the reader gets every line once, and the hub wakes us once it is listening again.
        const work = () => {
          pending = pending
            .then(async () => {
              while (!closed && (wantLines || wantState)) {
                const lines = wantLines || wantState;
                const state = wantState;
                wantLines = wantState = false;
                try {
                  if (lines) await pumpLines();
                  if (state) await sendState();
                } catch (err) {
                  if (closed) return;
                  log.warn("run stream could not read; retrying", { runId, error: (err as Error).message });
                  wantLines = true;
                  wantState ||= state;
                  await new Promise((r) => setTimeout(r, RETRY_MS));
                }
              }
            })
            .catch(() => close());
        };
        unsubscribe = await subscribeToRun(runId, (kind) => {
          if (kind === "log") wantLines = true;
          else wantState = true;
          work();
        });
        keepAlive = setInterval(() => void send(": keep-alive\n\n"), opts.keepAliveMs ?? 15_000);
        await send("retry: 2000\n\n");
        wantState = true;
        wantLines = true;
        work();
      },
      cancel() {
        closed = true;
        unsubscribe?.();
        if (keepAlive) clearInterval(keepAlive);
      },
    },
    { highWaterMark: 32 },
  );
}
