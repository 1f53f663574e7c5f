import "server-only";
import pg from "pg";
import { RUN_LOG, RUN_STATE } from "@/server/runs/channels";
import { isTerminalStatus } from "@/lib/run-states";

// Streams a run's log to a terminal (LISTEN for wake-ups, the table for the data) until it ends.

/** Prints every line of run `runId` through `write`; resolves with the run's final status. */
export async function followRun(url: string, runId: string, write: (line: string) => void): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let last = 0;
  let wake: (() => void) | null = null;
  client.on("notification", (n) => {
    if ((n.payload ?? "").startsWith(runId)) wake?.();
  });
  await client.query(`LISTEN ${RUN_LOG}`);
  await client.query(`LISTEN ${RUN_STATE}`);
  try {
    for (;;) {
      for (;;) {
        const res = await client.query<{ seq: number; stream: string; text: string }>(
          `SELECT seq, stream::text AS stream, text FROM "LogLine" WHERE "runId" = $1 AND seq > $2 ORDER BY seq LIMIT 5000`,
          [runId, last],
        );
        for (const r of res.rows) write(r.stream === "system" ? `» ${r.text}` : r.text);
        if (res.rows.length) last = res.rows[res.rows.length - 1]!.seq;
        if (res.rows.length < 5000) break;
      }
      const run = await client.query<{ status: string }>(`SELECT status::text FROM "Run" WHERE id = $1`, [runId]);
      const status = run.rows[0]?.status ?? "missing";
      if (isTerminalStatus(status) || status === "missing") {
        const tail = await client.query<{ stream: string; text: string }>(`SELECT stream::text AS stream, text FROM "LogLine" WHERE "runId" = $1 AND seq > $2 ORDER BY seq`, [runId, last]);
        for (const r of tail.rows) write(r.stream === "system" ? `» ${r.text}` : r.text);
        return status;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 2_000);
      });
    }
  } finally {
    await client.end();
  }
}
