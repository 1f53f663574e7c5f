// RabbitMQ's Prometheus endpoint (rabbitmq_prometheus, port 15692) as the 3.12 plugin renders it: /metrics (aggregated),
// /metrics/per-object and /metrics/detailed?family=...&vhost=... Source: rabbitmq-server v3.12.10,
// deps/rabbitmq_prometheus/src/collectors/prometheus_rabbitmq_core_metrics_collector.erl and rabbit_prometheus_handler.erl.

// One queue's figures.
export interface QueueFigures {
  vhost: string;
  name: string;
  ready: number;
  unacked: number;
  consumers: number;
  reductions: number;
  bytesPerMessage: number;
}

// channel_queue_metrics: what one channel took from one queue.
export interface ChannelQueueFigures {
  channel: string;
  vhost: string;
  queue: string;
  deliveredAck: number;
  acked: number;
  getNoAck: number;
}

// channel_queue_exchange_metrics: what one channel published into one queue through one exchange.
export interface ChannelPublishFigures {
  channel: string;
  vhost: string;
  queue: string;
  exchange: string;
  published: number;
}

// Everything the endpoint reads from the broker's metric tables.
export interface BrokerFigures {
  node: string;
  clusterName: string;
  clusterId: string;
  connections: number;
  channels: number;
  queues: QueueFigures[];
  channelQueues: ChannelQueueFigures[];
  publishes: ChannelPublishFigures[];
}

type Labels = [string, string][];
type Metric<T> = [name: string, type: "gauge" | "counter", help: string, value: (x: T) => number];
type Table<T> = {
  table: string;
  labels: (x: T) => Labels;
  items: (f: BrokerFigures) => T[];
  metrics: Metric<T>[];
  byVhost?: (x: T) => string;
};

const qLabels = (q: QueueFigures): Labels => [
  ["vhost", q.vhost],
  ["queue", q.name],
];
const depth = (q: QueueFigures) => q.ready + q.unacked;

// In the collector's ?METRICS_RAW order; the node, Erlang, Raft and connection tables are not modeled.
const TABLES: Table<any>[] = [
  {
    table: "queue_coarse_metrics",
    labels: qLabels,
    items: (f) => f.queues,
    byVhost: (q: QueueFigures) => q.vhost,
    metrics: [
      ["queue_messages_ready", "gauge", "Messages ready to be delivered to consumers", (q: QueueFigures) => q.ready],
      [
        "queue_messages_unacked",
        "gauge",
        "Messages delivered to consumers but not yet acknowledged",
        (q: QueueFigures) => q.unacked,
      ],
      ["queue_messages", "gauge", "Sum of ready and unacknowledged messages - total queue depth", depth],
      [
        "queue_process_reductions_total",
        "counter",
        "Total number of queue process reductions",
        (q: QueueFigures) => q.reductions,
      ],
    ],
  } satisfies Table<QueueFigures>,
  {
    table: "queue_consumer_count",
    labels: qLabels,
    items: (f) => f.queues,
    byVhost: (q: QueueFigures) => q.vhost,
    metrics: [["queue_consumers", "gauge", "Consumers on a queue", (q: QueueFigures) => q.consumers]],
  } satisfies Table<QueueFigures>,
  {
    table: "queue_metrics",
    labels: qLabels,
    items: (f) => f.queues,
    byVhost: (q: QueueFigures) => q.vhost,
    metrics: [
      ["queue_consumers", "gauge", "Consumers on a queue", (q: QueueFigures) => q.consumers],
      ["queue_consumer_capacity", "gauge", "Consumer capacity", (q: QueueFigures) => (q.consumers ? 1 : 0)],
      ["queue_consumer_utilisation", "gauge", "Same as consumer capacity", (q: QueueFigures) => (q.consumers ? 1 : 0)],
      [
        "queue_process_memory_bytes",
        "gauge",
        "Memory in bytes used by the Erlang queue process",
        (q: QueueFigures) => 34_560 + depth(q) * 96,
      ],
      ["queue_messages_ram", "gauge", "Ready and unacknowledged messages stored in memory", depth],
      [
        "queue_messages_ram_bytes",
        "gauge",
        "Size of ready and unacknowledged messages stored in memory",
        (q: QueueFigures) => depth(q) * q.bytesPerMessage,
      ],
      ["queue_messages_ready_ram", "gauge", "Ready messages stored in memory", (q: QueueFigures) => q.ready],
      [
        "queue_messages_unacked_ram",
        "gauge",
        "Unacknowledged messages stored in memory",
        (q: QueueFigures) => q.unacked,
      ],
      ["queue_messages_persistent", "gauge", "Persistent messages", depth],
      [
        "queue_messages_persistent_bytes",
        "gauge",
        "Size in bytes of persistent messages",
        (q: QueueFigures) => depth(q) * q.bytesPerMessage,
      ],
      [
        "queue_messages_bytes",
        "gauge",
        "Size in bytes of ready and unacknowledged messages",
        (q: QueueFigures) => depth(q) * q.bytesPerMessage,
      ],
      [
        "queue_messages_ready_bytes",
        "gauge",
        "Size in bytes of ready messages",
        (q: QueueFigures) => q.ready * q.bytesPerMessage,
      ],
      [
        "queue_messages_unacked_bytes",
        "gauge",
        "Size in bytes of all unacknowledged messages",
        (q: QueueFigures) => q.unacked * q.bytesPerMessage,
      ],
      ["queue_messages_paged_out", "gauge", "Messages paged out to disk", () => 0],
      ["queue_messages_paged_out_bytes", "gauge", "Size in bytes of messages paged out to disk", () => 0],
      ["queue_disk_reads_total", "counter", "Total number of times queue read messages from disk", () => 0],
      ["queue_disk_writes_total", "counter", "Total number of times queue wrote messages to disk", depth],
    ],
  } satisfies Table<QueueFigures>,
  {
    table: "channel_queue_metrics",
    labels: (c: ChannelQueueFigures) => [
      ["channel", c.channel],
      ["vhost", c.vhost],
      ["queue", c.queue],
    ],
    items: (f) => f.channelQueues,
    metrics: [
      [
        "channel_get_ack_total",
        "counter",
        "Total number of messages fetched with basic.get in manual acknowledgement mode",
        () => 0,
      ],
      [
        "channel_get_total",
        "counter",
        "Total number of messages fetched with basic.get in automatic acknowledgement mode",
        (c: ChannelQueueFigures) => c.getNoAck,
      ],
      [
        "channel_messages_delivered_ack_total",
        "counter",
        "Total number of messages delivered to consumers in manual acknowledgement mode",
        (c: ChannelQueueFigures) => c.deliveredAck,
      ],
      [
        "channel_messages_delivered_total",
        "counter",
        "Total number of messages delivered to consumers in automatic acknowledgement mode",
        () => 0,
      ],
      ["channel_messages_redelivered_total", "counter", "Total number of messages redelivered to consumers", () => 0],
      [
        "channel_messages_acked_total",
        "counter",
        "Total number of messages acknowledged by consumers",
        (c: ChannelQueueFigures) => c.acked,
      ],
      ["channel_get_empty_total", "counter", "Total number of times basic.get operations fetched no message", () => 0],
    ],
  } satisfies Table<ChannelQueueFigures>,
  {
    table: "channel_queue_exchange_metrics",
    items: (f) => f.publishes,
    labels: (p: ChannelPublishFigures) => [
      ["channel", p.channel],
      ["queue_vhost", p.vhost],
      ["queue", p.queue],
      ["exchange_vhost", p.vhost],
      ["exchange", p.exchange],
    ],
    metrics: [
      [
        "queue_messages_published_total",
        "counter",
        "Total number of messages published to queues",
        (p: ChannelPublishFigures) => p.published,
      ],
    ],
  } satisfies Table<ChannelPublishFigures>,
];

// The Prometheus text format's label escaping (backslash, double quote, newline).
const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labelText = (l: Labels) => (l.length ? `{${l.map(([k, v]) => `${k}="${esc(v)}"`).join(",")}}` : "");

function family(out: string[], name: string, type: string, help: string, samples: [Labels, number][]): void {
  out.push(`# TYPE ${name} ${type}`, `# HELP ${name} ${help}`);
  for (const [l, v] of samples) out.push(`${name}${labelText(l)} ${v}`);
}

function identity(out: string[], f: BrokerFigures): void {
  family(out, "rabbitmq_build_info", "untyped", "RabbitMQ & Erlang/OTP version info", [
    [
      [
        ["rabbitmq_version", "3.12.10"],
        ["prometheus_plugin_version", "3.12.10"],
        ["prometheus_client_version", "4.10.0"],
        ["erlang_version", "25.3.2.8"],
      ],
      1,
    ],
  ]);
  family(out, "rabbitmq_identity_info", "untyped", "RabbitMQ node & cluster identity info", [
    [
      [
        ["rabbitmq_node", f.node],
        ["rabbitmq_cluster", f.clusterName],
        ["rabbitmq_cluster_permanent_id", f.clusterId],
      ],
      1,
    ],
  ]);
}

// The content type the plugin answers with (prometheus_text_format:content_type()).
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4";

// Renders one scrape. `path` is what follows the port: /metrics, /metrics/per-object or /metrics/detailed; null for any other path (404).
export function renderMetrics(path: string, query: URLSearchParams, f: BrokerFigures): string | null {
  const out: string[] = [];
  const p = path.replace(/\/+$/, "");
  if (p === "/metrics/detailed") {
    const wanted = new Set(query.getAll("family"));
    // Unknown vhosts are dropped from the filter; a filter left empty matches no queue (rabbit_prometheus_handler:parse_vhosts).
    const vhosts = query.has("vhost")
      ? new Set(query.getAll("vhost").filter((v) => f.queues.some((q) => q.vhost === v)))
      : null;
    for (const t of TABLES) {
      if (!wanted.has(t.table)) continue;
      // queue_consumer_count is a subset of queue_metrics, so the collector skips it when both are asked for.
      if (t.table === "queue_consumer_count" && wanted.has("queue_metrics")) continue;
      const items = t.items(f).filter((x) => !vhosts || !t.byVhost || vhosts.has(t.byVhost(x)));
      for (const [name, type, help, value] of t.metrics)
        family(
          out,
          `rabbitmq_detailed_${name}`,
          type,
          help,
          items.map((x) => [t.labels(x), value(x)]),
        );
    }
    identity(out, f);
    return out.join("\n") + "\n";
  }
  if (p !== "/metrics" && p !== "/metrics/per-object") return null;
  const perObject = p === "/metrics/per-object";
  for (const t of TABLES) {
    if (t.table === "queue_consumer_count") continue;
    const items = t.items(f);
    for (const [name, type, help, value] of t.metrics) {
      // Aggregated: one unlabeled sum per metric (return_per_object_metrics = false, the default).
      const samples: [Labels, number][] = perObject
        ? items.map((x) => [t.labels(x), value(x)])
        : [[[], items.reduce((a, x) => a + value(x), 0)]];
      family(out, `rabbitmq_${name}`, type, help, samples);
    }
  }
  family(out, "rabbitmq_connections", "gauge", "Connections currently open", [[[], f.connections]]);
  family(out, "rabbitmq_channels", "gauge", "Channels currently open", [[[], f.channels]]);
  family(out, "rabbitmq_consumers", "gauge", "Consumers currently connected", [
    [[], f.queues.reduce((a, q) => a + q.consumers, 0)],
  ]);
  family(out, "rabbitmq_queues", "gauge", "Queues available", [[[], f.queues.length]]);
  identity(out, f);
  return out.join("\n") + "\n";
}
