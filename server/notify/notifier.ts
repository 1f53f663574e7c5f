import "server-only";
import { pgPool } from "@/server/db/pool";
import { notifyHub } from "@/server/db/notify-hub";
import { RUN_STATE } from "@/server/runs/channels";
import { DEFAULT_DELIVERY, claimDue, deliverOne, nextDueAt, type DeliveryOptions } from "@/server/notify/deliver";
import { pruneOutbox, recentRunIds, recordRunEvents } from "@/server/notify/record-events";
import { log } from "@/server/log";

// The notifier, a background job: LISTENs on RUN_STATE, turns run changes into outbox events, and
// drains the outbox to the webhooks. It runs beside the worker, never inside a run's execution, so a
// receiver that is slow or down delays no run and no page. A periodic rescan covers missed NOTIFYs, and
// one runs as soon as the process's notify hub is listening again after a lost connection.

export type NotifierOptions = {
  databaseUrl: string;
  baseUrl: string;
  delivery?: Partial<Omit<DeliveryOptions, "baseUrl">>;
  /** How far back a rescan looks for ended runs. */
  rescanWithinMs?: number;
  rescanEveryMs?: number;
  /** Longest sleep of the delivery loop when nothing is due (a kick wakes it earlier). */
  idleMs?: number;
  /** Deliveries in flight at once: a receiver that hangs holds one slot, not the whole loop. */
  concurrency?: number;
  /** How long events and their delivery log are kept (default 30 days). */
  keepMs?: number;
};

export type Notifier = {
  /** Wakes the delivery loop (after something recorded an event, e.g. the tier watcher). */
  kick(): void;
  stop(): Promise<void>;
};

/** Starts listening and delivering; resolves once it is listening. */
export async function startNotifier(opts: NotifierOptions): Promise<Notifier> {
  const delivery: DeliveryOptions = {
    ...DEFAULT_DELIVERY,
    ...opts.delivery,
    baseUrl: opts.baseUrl.replace(/\/+$/, ""),
  };
  const pool = pgPool(opts.databaseUrl);
  let stopped = false;
  let wake: (() => void) | null = null;
  const pendingRuns = new Set<string>();
  let recording: Promise<void> = Promise.resolve();
  const timers: NodeJS.Timeout[] = [];

  let kicked = false;
  const kick = () => {
    kicked = true; // a kick during a claim must not be lost to the sleep that follows
    wake?.();
  };

  const record = (ids: string[]) => {
    recording = recording
      .then(async () => {
        if (await recordRunEvents(pool, ids)) kick();
      })
      .catch((err: unknown) => log.warn("notifier could not record run events", { error: err }));
  };

  const flushRuns = () => {
    if (!pendingRuns.size) return;
    const ids = [...pendingRuns];
    pendingRuns.clear();
    record(ids);
  };

  const rescan = () => {
    if (stopped) return;
    recentRunIds(pool, opts.rescanWithinMs ?? 60 * 60_000).then(record, (err: unknown) =>
      log.warn("notifier rescan failed", { error: err }),
    );
  };

  const onRunState = (payload: string | null) => {
    if (payload === null) return rescan(); // the listener reconnected: whatever changed while it was away
    if (!payload) return;
    pendingRuns.add(payload);
    setImmediate(flushRuns); // NOTIFYs arrive in bursts (a step ends, the run ends): one read for them
  };

  const stopping = new AbortController();
  const inflight = new Set<Promise<void>>();
  const capacity = opts.concurrency ?? 16;
  const loop = (async () => {
    while (!stopped) {
      try {
        kicked = false;
        const free = capacity - inflight.size;
        const claimed = free > 0 ? await claimDue(pool, delivery, free) : [];
        for (const d of claimed) {
          const p: Promise<void> = deliverOne(pool, d, delivery, stopping.signal)
            .catch((err: unknown) => log.error("webhook delivery failed to record", { delivery: d.id, error: err }))
            .finally(() => {
              inflight.delete(p);
              kick();
            });
          inflight.add(p);
        }
        if ((claimed.length === free && free > 0) || kicked) continue;
        const due = await nextDueAt(pool);
        const wait = Math.max(50, Math.min(opts.idleMs ?? 5_000, due ? due.getTime() - Date.now() : Infinity));
        await new Promise<void>((resolve) => {
          if (kicked) return resolve();
          const t = setTimeout(resolve, wait);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wake = null;
      } catch (err) {
        if (stopped) break;
        log.warn("notifier delivery loop error", { error: err });
        await new Promise((r) => setTimeout(r, 2_000));
      }
    }
  })();

  const unlisten = await notifyHub(opts.databaseUrl).subscribeAll(RUN_STATE, onRunState);
  rescan(); // whatever changed before we listened
  timers.push(setInterval(rescan, opts.rescanEveryMs ?? 30_000));
  const prune = () =>
    void pruneOutbox(pool, opts.keepMs ?? 30 * 86_400_000).catch((err: unknown) =>
      log.warn("notifier could not prune the outbox", { error: err }),
    );
  timers.push(setInterval(prune, 60 * 60_000));
  return {
    kick,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      stopping.abort();
      kick();
      unlisten();
      await recording;
      await loop;
      await Promise.all(inflight);
    },
  };
}
