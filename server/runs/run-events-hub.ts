import "server-only";
import pg from "pg";
import { databaseUrl } from "@/server/db";
import { RUN_LOG, RUN_STATE } from "@/server/runs/channels";
import { log } from "@/server/log";

// One LISTEN connection per web process, shared by every live stream: many viewers of one run cost
// one database listener, not one each. It only says "something changed"; streams read the tables.

type Listener = (kind: "log" | "state") => void;

class RunEventsHub {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly subs = new Map<string, Set<Listener>>();

  /** Calls `fn` whenever run `runId` gets log lines or changes state; returns the unsubscribe function. */
  async subscribe(runId: string, fn: Listener): Promise<() => void> {
    await this.connect();
    let set = this.subs.get(runId);
    if (!set) this.subs.set(runId, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (!set.size) this.subs.delete(runId);
    };
  }

  private connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: databaseUrl() });
      client.on("notification", (n) => {
        const payload = n.payload ?? "";
        const runId = n.channel === RUN_LOG ? payload.slice(0, payload.lastIndexOf(":")) : payload;
        const kind = n.channel === RUN_LOG ? "log" : "state";
        for (const fn of this.subs.get(runId) ?? []) fn(kind);
      });
      client.on("error", (err) => {
        log.error("run events listener lost; reconnecting", { error: err });
        this.client = null;
        this.connecting = null;
        // Wake every stream so it re-reads the tables: nothing is lost, the data is in PostgreSQL.
        for (const set of this.subs.values()) for (const fn of set) fn("state");
        setTimeout(() => void this.connect().catch(() => undefined), 1_000);
      });
      await client.connect();
      await client.query(`LISTEN ${RUN_LOG}`);
      await client.query(`LISTEN ${RUN_STATE}`);
      this.client = client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }
}

const g = globalThis as unknown as { runEventsHub?: RunEventsHub };

/** The process's hub. */
export function runEventsHub(): RunEventsHub {
  g.runEventsHub ??= new RunEventsHub();
  return g.runEventsHub;
}
