import "server-only";
import pg from "pg";
import { databaseUrl } from "@/server/db/pool";
import { log } from "@/server/log";

// One LISTEN connection per database per process, shared by every subscriber of every channel: the
// worker (queued runs, cancels), the notifier, the health jobs, the web's live streams and the CLI
// following a run. Many viewers cost one database listener, not one each. Notifications only say
// "something changed"; readers read the tables.
// When the connection drops (a PostgreSQL restart), the hub reconnects with backoff, LISTENs on every
// channel again, and then wakes every subscriber with payload null so it re-reads: what changed while
// nobody listened is read then, so nothing is lost.

type Fn = (payload: string | null) => void;
type KeyOf = (payload: string) => string;
/** A channel's subscribers: to every payload, and by key (grouped by the function that finds a payload's key). */
type Channel = { all: Set<Fn>; keyed: Map<KeyOf, Map<string, Set<Fn>>> };
const identity: KeyOf = (p) => p;

/** application_name of the hub's connection (one per database per process). */
export const LISTEN_APPLICATION_NAME = "growbin-portal-listen";
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;
const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

class NotifyHub {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly channels = new Map<string, Channel>();
  /** The LISTEN of each channel on the current connection (a promise, so concurrent subscribers share it). */
  private listening = new Map<string, Promise<unknown>>();
  private retry: NodeJS.Timeout | null = null;
  private failures = 0;
  /** A connection was lost: the next one wakes every subscriber to re-read. */
  private lost = false;
  /** Set by close(): no reconnecting afterwards (until someone subscribes again). */
  private closed = false;

  constructor(private readonly url: string) {}

  /** Calls `fn` on every notification on `channel` whose payload's key is `key`; returns the unsubscribe function. */
  subscribe(channel: string, key: string, fn: Fn, keyOf: KeyOf = identity): Promise<() => void> {
    return this.add(channel, (ch) => {
      let byKey = ch.keyed.get(keyOf);
      if (!byKey) ch.keyed.set(keyOf, (byKey = new Map()));
      let set = byKey.get(key);
      if (!set) byKey.set(key, (set = new Set()));
      set.add(fn);
      return () => {
        set.delete(fn);
        if (!set.size && byKey.get(key) === set) byKey.delete(key);
        if (!byKey.size && ch.keyed.get(keyOf) === byKey) ch.keyed.delete(keyOf);
      };
    });
  }

  /** Calls `fn` on every notification on `channel`, whatever its payload; returns the unsubscribe function. */
  subscribeAll(channel: string, fn: Fn): Promise<() => void> {
    return this.add(channel, (ch) => {
      ch.all.add(fn);
      return () => void ch.all.delete(fn);
    });
  }

  private async add(channel: string, register: (ch: Channel) => () => void): Promise<() => void> {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`not a channel name: ${channel}`);
    this.closed = false;
    let ch = this.channels.get(channel);
    if (!ch) this.channels.set(channel, (ch = { all: new Set(), keyed: new Map() }));
    const unsubscribe = register(ch);
    try {
      const client = await this.connect();
      await this.listen(client, channel);
    } catch (err) {
      unsubscribe();
      throw err;
    }
    return unsubscribe;
  }

  private listen(client: pg.Client, channel: string): Promise<unknown> {
    // Lost in the meantime: the reconnect LISTENs on every channel, this one included, and wakes its subscribers.
    if (client !== this.client) return Promise.resolve();
    let p = this.listening.get(channel);
    if (!p) {
      const q = client.query(`LISTEN ${channel}`);
      q.catch(() => this.listening.get(channel) === q && this.listening.delete(channel));
      this.listening.set(channel, (p = q));
    }
    return p;
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: LISTEN_APPLICATION_NAME,
      keepAlive: true,
    });
    client.on("error", (err) => this.drop(client, err));
    client.on("end", () => this.drop(client, new Error("the listener's connection ended")));
    client.on("notification", (n) => this.dispatch(n.channel, n.payload ?? ""));
    const channels = [...this.channels.keys()];
    try {
      await client.connect();
      for (const channel of channels) await client.query(`LISTEN ${channel}`);
      if (this.closed) throw new Error("the notify hub was closed");
    } catch (err) {
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
    this.listening = new Map(channels.map((c) => [c, Promise.resolve()]));
    this.failures = 0;
    if (this.lost) {
      this.lost = false;
      // warn, like the loss: stderr, so a CLI's stdout stays the run's log alone
      log.warn("database listener reconnected; subscribers re-read");
      this.wakeAll();
    }
    return client;
  }

  private drop(client: pg.Client, err: Error): void {
    if (this.client !== client) return;
    log.warn("database listener lost; reconnecting", { error: err.message });
    this.client = null;
    this.listening.clear();
    this.lost = true;
    client.removeAllListeners("end");
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retry || !this.hasSubscribers()) return;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures++);
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.closed || this.client) return;
      this.connect().catch((err: unknown) => {
        log.warn("database listener could not reconnect; retrying", {
          error: (err as Error).message,
          failures: this.failures,
        });
        this.scheduleReconnect();
      });
    }, delay);
  }

  private hasSubscribers(): boolean {
    for (const ch of this.channels.values()) if (ch.all.size || ch.keyed.size) return true;
    return false;
  }

  private dispatch(channel: string, payload: string): void {
    const ch = this.channels.get(channel);
    if (!ch) return;
    const fns = [...ch.all];
    for (const [keyOf, byKey] of ch.keyed) fns.push(...(byKey.get(keyOf(payload)) ?? []));
    for (const fn of fns) call(fn, payload);
  }

  private wakeAll(): void {
    for (const ch of this.channels.values()) {
      const fns = [...ch.all];
      for (const byKey of ch.keyed.values()) for (const set of byKey.values()) fns.push(...set);
      for (const fn of fns) call(fn, null);
    }
  }

  /** Ends the connection (process shutdown, tests); subscribers are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const client = this.client;
    this.client = null;
    this.channels.clear();
    this.listening.clear();
    if (!client) return;
    client.removeAllListeners("error");
    client.removeAllListeners("end");
    client.on("error", () => undefined);
    // end() never settles on a connection the server already closed: do not wait for it past a second.
    await Promise.race([client.end().catch(() => undefined), new Promise((r) => setTimeout(r, 1_000).unref())]);
  }
}

function call(fn: Fn, payload: string | null): void {
  try {
    fn(payload);
  } catch (err) {
    log.error("notification subscriber failed", { error: err });
  }
}

const g = globalThis as unknown as { notifyHubs?: Map<string, NotifyHub> };
const hubs = (g.notifyHubs ??= new Map<string, NotifyHub>());

/** The process's hub for `url` (default: the process's database). */
export function notifyHub(url: string = databaseUrl()): NotifyHub {
  let hub = hubs.get(url);
  if (!hub) hubs.set(url, (hub = new NotifyHub(url)));
  return hub;
}

/** Closes the hub of `url`, or every hub (process shutdown, before a database is dropped in tests). */
export async function closeNotifyHubs(url?: string): Promise<void> {
  const closing = [...hubs].filter(([u]) => url === undefined || u === url);
  for (const [u] of closing) hubs.delete(u);
  await Promise.all(closing.map(([, hub]) => hub.close()));
}
