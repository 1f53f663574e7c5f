import "server-only";
import { db } from "@/server/db";

// Streams a stored log as text, page by page, so a million-line log never sits in memory whole.

const PAGE = 10_000;
const encoder = new TextEncoder();

/** The run's log (or one step's) as "time [stream] text" lines. */
export function rawLogStream(runId: string, step: number | null): ReadableStream<Uint8Array> {
  let after = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const rows = await db().$queryRaw<{ seq: number; time: Date; stream: string; text: string }[]>`
        SELECT seq, time, stream::text AS stream, text FROM "LogLine"
        WHERE "runId" = ${runId} AND seq > ${after} AND (${step}::int IS NULL OR step = ${step}::int)
        ORDER BY seq LIMIT ${PAGE}`;
      if (!rows.length) {
        controller.close();
        return;
      }
      after = rows[rows.length - 1]!.seq;
      controller.enqueue(
        encoder.encode(
          rows
            .map((r) => `${r.time.toISOString()} ${r.stream === "stdout" ? "" : `[${r.stream}] `}${r.text}\n`)
            .join(""),
        ),
      );
    },
  });
}
