import "server-only";
import { notifyHub } from "@/server/db/notify-hub";
import { RUN_LOG, RUN_STATE } from "@/server/runs/channels";

// Live streams of a run (the web's SSE, the CLI following it) share the process's one database listener:
// many viewers of one run cost one LISTEN connection, not one each. It only says "something changed";
// streams read the tables.

type Listener = (kind: "log" | "state") => void;

const runIdOfLog = (payload: string) => payload.slice(0, payload.lastIndexOf(":"));

/**
 * Calls `fn` whenever run `runId` gets log lines or changes state, and (as "state") after the listener
 * reconnected, so the stream re-reads what it may have missed. `url`: the database (default: the process's).
 */
export async function subscribeToRun(runId: string, fn: Listener, url?: string): Promise<() => void> {
  const hub = notifyHub(url);
  const offLog = await hub.subscribe(RUN_LOG, runId, (p) => fn(p === null ? "state" : "log"), runIdOfLog);
  try {
    const offState = await hub.subscribe(RUN_STATE, runId, () => fn("state"));
    return () => {
      offLog();
      offState();
    };
  } catch (err) {
    offLog();
    throw err;
  }
}
