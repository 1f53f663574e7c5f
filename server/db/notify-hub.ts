import "server-only";
import pg from "pg";
import { databaseUrl } from "@/server/db";
import { log } from "@/server/log";

// One LISTEN connection per process, shared by every subscriber of every channel: many viewers cost one
// database listener, not one each. Notifications only say "something changed"; readers read the tables.
// When the connection drops, every subscriber is woken (payload null) so it re-reads: nothing is lost.

type Fn = (payload: string | null) => void;

class NotifyHub {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  /** channel -> key -> subscribers; a channel's `keyOf` picks the key out of a payload. */
  private readonly subs = new Map<string, { keyOf: (payload: string) => string; byKey: Map<string, Set<Fn>> }>();
  /** The LISTEN of each channel on the current connection (a promise, so concurrent subscribers share it). */
  private readonly listening = new Map<string, Promise<unknown>>();
  /** Set by close(): no reconnecting afterwards (until someone subscribes again). */
  private closed = false;

  /** Calls `fn` on every notification on `channel` whose payload's key is `key`; returns the unsubscribe function. */
  async subscribe(channel: string, key: string, fn: Fn, keyOf: (payload: string) => string = (p) => p): Promise<() => void> {
    this.closed = false;
    let ch = this.subs.get(channel);
    if (!ch) this.subs.set(channel, (ch = { keyOf, byKey: new Map() }));
    let set = ch.byKey.get(key);
    if (!set) ch.byKey.set(key, (set = new Set()));
    set.add(fn);
    const unsubscribe = () => {
      set.delete(fn);
      if (!set.size) ch.byKey.delete(key);
    };
    try {
      await this.connect();
      await this.listen(channel);
    } catch (err) {
      unsubscribe();
      throw err;
    }
    return unsubscribe;
  }

  private listen(channel: string): Promise<unknown> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) return Promise.reject(new Error(`not a channel name: ${channel}`));
    let p = this.listening.get(channel);
    if (!p) {
      p = this.client!.query(`LISTEN ${channel}`);
      p.catch(() => this.listening.delete(channel));
      this.listening.set(channel, p);
    }
    return p;
  }

  private connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: databaseUrl() });
      client.on("notification", (n) => {
        const ch = this.subs.get(n.channel);
        if (!ch) return;
        const payload = n.payload ?? "";
        for (const fn of ch.byKey.get(ch.keyOf(payload)) ?? []) fn(payload);
      });
      client.on("error", (err) => {
        if (this.client !== client) return;
        log.error("database listener lost; reconnecting", { error: err });
        this.client = null;
        this.connecting = null;
        this.listening.clear();
        for (const ch of this.subs.values()) for (const set of ch.byKey.values()) for (const fn of set) fn(null);
        setTimeout(() => void this.reconnect(), 1_000);
      });
      await client.connect();
      this.client = client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** Ends the connection (process shutdown, tests); subscribers are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    this.subs.clear();
    this.listening.clear();
    client?.removeAllListeners("error");
    client?.on("error", () => undefined);
    // end() never settles on a connection the server already closed: do not wait for it past a second.
    await Promise.race([client?.end().catch(() => undefined), new Promise((r) => setTimeout(r, 1_000).unref())]);
  }

  private async reconnect(): Promise<void> {
    if (this.closed) return;
    try {
      await this.connect();
      for (const channel of this.subs.keys()) await this.listen(channel);
    } catch {
      if (!this.closed) setTimeout(() => void this.reconnect(), 1_000);
    }
  }
}

const g = globalThis as unknown as { notifyHub?: NotifyHub };

/** The process's hub. */
export function notifyHub(): NotifyHub {
  g.notifyHub ??= new NotifyHub();
  return g.notifyHub;
}
