import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { RUN_LOG } from "@/server/runs/channels";

// Stores a run's log lines in batches (COPY ... FROM STDIN, the fastest way into PostgreSQL) and
// announces each batch with NOTIFY. Per-step byte caps stop a runaway step from filling the database.

type Stream = "stdout" | "stderr" | "system";
type Pending = { seq: number; step: number | null; time: Date; stream: Stream; text: string };

const COPY = `COPY "LogLine" ("runId", seq, step, time, stream, text) FROM STDIN`;

/** Escapes a value for COPY's text format. */
function copyText(s: string): string {
  return s.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

export class LogWriter {
  private buffer: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private seq: number;
  private readonly stepBytes = new Map<number, number>();
  private readonly dropped = new Map<number, { lines: number; bytes: number }>();
  /** Lines written so far (for metrics and tests). */
  written = 0;
  private failures = 0;
  private fatal: Error | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly runId: string,
    startSeq: number,
    private readonly opts: { capBytes: number; flushMs?: number; maxBatch?: number; highWater?: number },
  ) {
    this.seq = startSeq;
  }

  /** Queues a line; returns false when the buffer is above its high-water mark (the caller should pause input). */
  append(step: number | null, stream: Stream, text: string): boolean {
    if (step !== null) {
      const used = this.stepBytes.get(step) ?? 0;
      const size = Buffer.byteLength(text) + 1;
      if (used + size > this.opts.capBytes) {
        const d = this.dropped.get(step);
        if (!d) {
          this.dropped.set(step, { lines: 1, bytes: size });
          this.push(
            step,
            "system",
            `[log truncated: this step's output passed the ${formatBytes(this.opts.capBytes)} cap; the rest is not stored, the step keeps running]`,
          );
        } else {
          d.lines++;
          d.bytes += size;
        }
        return true;
      }
      this.stepBytes.set(step, used + size);
    }
    this.push(step, stream, text);
    return this.buffer.length < (this.opts.highWater ?? 20_000);
  }

  /** Closes a step's accounting: says how much was not stored, if anything. Returns whether it was truncated. */
  endStep(step: number): { truncated: boolean; bytes: number } {
    const d = this.dropped.get(step);
    if (d)
      this.push(step, "system", `[log truncated: ${d.lines} more lines (${formatBytes(d.bytes)}) were not stored]`);
    return { truncated: Boolean(d), bytes: this.stepBytes.get(step) ?? 0 };
  }

  /** Resolves once everything queued so far is stored. */
  async drain(): Promise<void> {
    while ((this.buffer.length || this.flushing) && !this.fatal) {
      await (this.flushing ?? this.flush());
      if (this.buffer.length && !this.flushing && this.timer) await new Promise((r) => setTimeout(r, 100));
    }
    if (this.fatal) throw this.fatal;
  }

  private push(step: number | null, stream: Stream, text: string) {
    this.buffer.push({ seq: ++this.seq, step, time: new Date(), stream, text: text.replace(/\u0000/g, "") });
    if (this.buffer.length >= (this.opts.maxBatch ?? 5_000)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.opts.flushMs ?? 50);
  }

  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.buffer.length) return Promise.resolve();
    const batch = this.buffer.splice(0, this.opts.maxBatch ?? 5_000);
    this.flushing = copyBatch(this.pool, this.runId, batch).then(
      () => {
        this.written += batch.length;
        this.failures = 0;
        this.flushing = null;
        if (this.buffer.length) void this.flush();
      },
      (err: unknown) => {
        // Keep the lines and retry: a brief database hiccup must not lose log output.
        this.buffer.unshift(...batch);
        this.flushing = null;
        if (++this.failures > 20) this.fatal = err instanceof Error ? err : new Error(String(err));
        else this.timer ??= setTimeout(() => void this.flush(), 500);
      },
    );
    return this.flushing;
  }
}

async function copyBatch(pool: pg.Pool, runId: string, batch: Pending[]): Promise<void> {
  const client = await pool.connect();
  try {
    const id = copyText(runId);
    const body = batch
      .map((l) => `${id}\t${l.seq}\t${l.step ?? "\\N"}\t${l.time.toISOString()}\t${l.stream}\t${copyText(l.text)}\n`)
      .join("");
    await pipeline(Readable.from([body]), client.query(copyFrom(COPY)));
    await client.query("SELECT pg_notify($1, $2)", [RUN_LOG, `${runId}:${batch[batch.length - 1]!.seq}`]);
  } finally {
    client.release();
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024
    ? `${(n / 1024 / 1024).toFixed(1)} MiB`
    : n >= 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${n} B`;
}
