import type { QueuesView } from "@/server/cluster/health-views";
import type { Range, SeriesPoint } from "@/server/cluster/queue-samples";

// What GET /api/clusters/:cluster/health/queues answers.
export type QueuesPayload = QueuesView & { range: Range; series: SeriesPoint[] };
