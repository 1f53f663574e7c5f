import type { QueuesView } from "@/server/cluster/health/health-views";
import type { Range, SeriesPoint } from "@/server/cluster/health/queue-samples";

// What GET /api/clusters/:cluster/health/queues answers.
export type QueuesPayload = QueuesView & { range: Range; series: SeriesPoint[] };
