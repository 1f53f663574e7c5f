import "server-only";

// RabbitMQ's Prometheus endpoint (the rabbitmq_prometheus plugin, port 15692): the text format parsed, and the
// per-queue figures taken from /metrics/detailed. Metric names from rabbitmq-server v3.12.10
// deps/rabbitmq_prometheus/src/collectors/prometheus_rabbitmq_core_metrics_collector.erl; format from
// https://prometheus.io/docs/instrumenting/exposition_formats/ (text format 0.0.4).

/** One sample line: metric name, labels, value. */
export type Sample = { name: string; labels: Record<string, string>; value: number };

/** The body was not the Prometheus text format (an HTML page, JSON, a truncated answer...). */
export class PrometheusFormatError extends Error {
  override name = "PrometheusFormatError";
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|\})/;

function parseValue(s: string): number {
  if (s === "NaN") return NaN;
  if (s === "+Inf" || s === "Inf") return Infinity;
  if (s === "-Inf") return -Infinity;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN;
}

const unescape = (v: string) => v.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));

/** Parses the text exposition format; throws PrometheusFormatError naming the first line that is not in it. */
export function parsePrometheusText(text: string): Sample[] {
  const out: Sample[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith("#")) continue;
    const bad = () =>
      new PrometheusFormatError(
        `line ${i + 1} is not in the Prometheus text format: ${JSON.stringify(line.slice(0, 80))}`,
      );
    const n = NAME.exec(line);
    if (!n) throw bad();
    let rest = line.slice(n[0].length);
    const labels: Record<string, string> = {};
    if (rest.startsWith("{")) {
      rest = rest.slice(1);
      for (;;) {
        // An empty set and a trailing comma are both allowed: `name{} 1`, `name{a="b",} 1`.
        const t = rest.trimStart();
        if (t.startsWith("}")) {
          rest = t.slice(1);
          break;
        }
        const l = LABEL.exec(rest);
        if (!l) throw bad();
        labels[l[1]!] = unescape(l[2]!);
        rest = rest.slice(l[0].length);
        if (l[3] === "}") break;
      }
    }
    const parts = rest.trim().split(/\s+/);
    if (!rest.startsWith(" ") && !rest.startsWith("\t")) throw bad();
    if (parts.length < 1 || parts.length > 2) throw bad();
    const value = parseValue(parts[0]!);
    if (Number.isNaN(value) && parts[0] !== "NaN") throw bad();
    out.push({ name: n[0], labels, value });
  }
  return out;
}

/** The families the portal asks for: depths, consumers, and the per-channel delivery and publish counters. */
export const QUEUE_FAMILIES = [
  "queue_coarse_metrics",
  "queue_consumer_count",
  "channel_queue_metrics",
  "channel_queue_exchange_metrics",
] as const;

/** The /metrics/detailed path and query for a vhost (all vhosts when none). */
export function detailedMetricsPath(vhost?: string): string {
  const q = new URLSearchParams();
  if (vhost) q.append("vhost", vhost);
  for (const f of QUEUE_FAMILIES) q.append("family", f);
  return `/metrics/detailed?${q}`;
}

/** A queue's depth and consumers as the endpoint states them. */
export type QueueGauges = {
  name: string;
  vhost: string;
  messages: number;
  ready: number;
  unacked: number;
  consumers: number;
};
/** One counter series, by its full label set, attributed to a queue. */
export type Counter = { queue: string; kind: "publish" | "deliver"; value: number };
/** The counters of one scrape, keyed by series (name + labels). */
export type Counters = Map<string, Counter>;

const P = "rabbitmq_detailed_";
// The management API's deliver_get is these four together (rabbit_mgmt_format / channel_queue_metrics).
const DELIVER = new Set(
  [
    "channel_get_ack_total",
    "channel_get_total",
    "channel_messages_delivered_ack_total",
    "channel_messages_delivered_total",
  ].map((n) => P + n),
);
const PUBLISH = `${P}queue_messages_published_total`;

/** Reads per-queue gauges and counters from parsed samples; throws when the body holds no RabbitMQ metric at all. */
export function queuesFromSamples(samples: Sample[], vhost?: string): { queues: QueueGauges[]; counters: Counters } {
  if (!samples.some((s) => s.name.startsWith("rabbitmq_")))
    throw new PrometheusFormatError("the answer has no rabbitmq_* metric: it is not RabbitMQ's Prometheus endpoint");
  const queues = new Map<string, QueueGauges>();
  const counters: Counters = new Map();
  const keyOf = (s: Sample) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`;
  for (const s of samples) {
    if (!s.name.startsWith(P)) continue;
    const qv = s.labels.vhost ?? s.labels.queue_vhost;
    const queue = s.labels.queue;
    // The channel families ignore the vhost filter (the collector only filters queue tables), so filter here.
    if (queue === undefined || qv === undefined || (vhost && qv !== vhost)) continue;
    if (DELIVER.has(s.name) || s.name === PUBLISH) {
      counters.set(keyOf(s), {
        queue: `${qv}\u0000${queue}`,
        kind: s.name === PUBLISH ? "publish" : "deliver",
        value: s.value,
      });
      continue;
    }
    const key = `${qv}\u0000${queue}`;
    const q = queues.get(key) ?? { name: queue, vhost: qv, messages: 0, ready: 0, unacked: 0, consumers: 0 };
    queues.set(key, q);
    if (s.name === `${P}queue_messages`) q.messages = s.value;
    else if (s.name === `${P}queue_messages_ready`) q.ready = s.value;
    else if (s.name === `${P}queue_messages_unacked`) q.unacked = s.value;
    else if (s.name === `${P}queue_consumers`) q.consumers = s.value;
  }
  return { queues: [...queues.values()], counters };
}
