import "server-only";
import type { Counters } from "@/server/cluster/sources/rabbitmq-prometheus";

// Publish and deliver rates from Prometheus counters. A counter's value means nothing alone: a rate needs two
// scrapes, so each reader keeps its recent scrapes and divides the increase since the oldest one of the last
// minute by the time between them (as Prometheus' rate(x[1m]) does). The first reading after a start has no
// earlier scrape: its rates are null ("not known yet"), never a made-up 0.

/** One scrape's counters and when it was taken. */
export type Scrape = { time: number; counters: Counters };
/** Messages per second into and out of one queue. */
export type QueueRates = { publish: number; deliver: number };

const WINDOW_MS = 60_000;
// The broker refreshes its metric tables every collect_statistics_interval (5 s): closer scrapes show no change.
const MIN_SPAN_MS = 5_000;

/**
 * Per-queue rates between two scrapes. Counters are per channel: a series that restarted lower was reset (a
 * reopened channel), so its whole value is the increase, as in Prometheus; a series new since the base started
 * from 0 after it; a series gone with its channel loses what it counted since the base.
 */
export function ratesBetween(base: Scrape, cur: Scrape): Map<string, QueueRates> {
  const seconds = (cur.time - base.time) / 1000;
  const out = new Map<string, QueueRates>();
  for (const [key, c] of cur.counters) {
    const before = base.counters.get(key)?.value;
    const inc = before === undefined || c.value < before ? c.value : c.value - before;
    const r = out.get(c.queue) ?? { publish: 0, deliver: 0 };
    r[c.kind] += inc;
    out.set(c.queue, r);
  }
  for (const r of out.values()) {
    r.publish = round(r.publish / seconds);
    r.deliver = round(r.deliver / seconds);
  }
  return out;
}

const round = (n: number) => Math.round(n * 100) / 100;

const sameCounters = (a: Counters, b: Counters) =>
  a.size === b.size && [...a].every(([k, c]) => b.get(k)?.value === c.value);

/** The scrapes of one endpoint, trimmed to what the next rate needs. */
export class RateWindow {
  private scrapes: Scrape[] = [];
  private last: { scrape: Scrape; rates: Map<string, QueueRates> | null } | null = null;

  /** Records a scrape; returns the rates against the best earlier one, or null when there is none yet. */
  push(cur: Scrape): Map<string, QueueRates> | null {
    // Counters unchanged since a scrape less than a stats interval ago: the broker has not refreshed its tables
    // since, so there is nothing new to divide; the same rates keep a re-read reading identical.
    if (
      this.last &&
      cur.time - this.last.scrape.time < MIN_SPAN_MS &&
      cur.time >= this.last.scrape.time &&
      sameCounters(cur.counters, this.last.scrape.counters)
    )
      return this.last.rates;
    const older = this.scrapes.filter((s) => s.time <= cur.time - MIN_SPAN_MS);
    // The oldest scrape inside the window; failing that the newest one before it (a reader that paused).
    const base = older.find((s) => s.time >= cur.time - WINDOW_MS) ?? older[older.length - 1];
    this.scrapes = [
      ...this.scrapes.filter((s) => s.time >= (base?.time ?? cur.time - WINDOW_MS) && s.time !== cur.time),
      cur,
    ].sort((a, b) => a.time - b.time);
    const rates = base ? ratesBetween(base, cur) : null;
    this.last = { scrape: cur, rates };
    return rates;
  }
}

const windows = new Map<string, RateWindow>();

/** The window of one endpoint (cluster + vhost), shared by every reader in this process (health and the sampler). */
export function rateWindow(key: string): RateWindow {
  let w = windows.get(key);
  if (!w) windows.set(key, (w = new RateWindow()));
  return w;
}
