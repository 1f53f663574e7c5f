import "server-only";
import { pgPool } from "@/server/db/pool";
import { subscribeToRun } from "@/server/runs/run-events-hub";
import { isTerminalStatus } from "@/lib/run-states";

// Streams a run's log to a terminal (the process's notify hub for wake-ups, the table for the data) until
// it ends. The database may restart meanwhile: reads that fail are tried again, and printing resumes after
// the last line printed, so every line is printed once and the run's real outcome decides the exit code.

const PAGE = 5_000;
const POLL_MS = 2_000;
const RETRY_MS = 500;

/** Errors of a connection that went away (a restart, a network cut): worth another try. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (
    typeof e?.code === "string" &&
    (/^(08|57P0)/.test(e.code) || /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH)$/.test(e.code))
  )
    return true;
  return /Connection terminated|connection is closed|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    e?.message ?? "",
  );
}

/** Prints every line of run `runId` through `write`; resolves with the run's final status. */
export async function followRun(url: string, runId: string, write: (line: string) => void): Promise<string> {
  const pool = pgPool(url);
  let last = 0;
  let woken = false;
  let wake: (() => void) | null = null;
  const unsubscribe = await subscribeToRun(
    runId,
    () => {
      woken = true;
      wake?.();
    },
    url,
  );
  let outage = false;
  const printNewLines = async () => {
    for (;;) {
      const res = await pool.query<{ seq: number; stream: string; text: string }>(
        `SELECT seq, stream::text AS stream, text FROM "LogLine" WHERE "runId" = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`,
        [runId, last],
      );
      for (const r of res.rows) {
        write(r.stream === "system" ? `» ${r.text}` : r.text);
        last = r.seq;
      }
      if (res.rows.length < PAGE) return;
    }
  };
  try {
    for (;;) {
      woken = false;
      try {
        await printNewLines();
        const run = await pool.query<{ status: string }>(`SELECT status::text FROM "Run" WHERE id = $1`, [runId]);
        const status = run.rows[0]?.status ?? "missing";
        if (outage) console.error("database reachable again; still following the run");
        outage = false;
        if (isTerminalStatus(status) || status === "missing") {
          await printNewLines(); // the worker stores every line before it ends the run
          return status;
        }
      } catch (err) {
        if (!isConnectionError(err)) throw err;
        if (!outage)
          console.error(`database connection lost (${(err as Error).message}); still following run ${runId}`);
        outage = true;
        await new Promise((r) => setTimeout(r, RETRY_MS));
        continue;
      }
      if (woken) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    unsubscribe();
  }
}
