import "server-only";
import { SOURCES, type HealthData, type SourceDef } from "@/server/cluster/sources/registry";
import type { DepthPoint } from "@/server/cluster/sources/rabbitmq";
import type { Problem, SourceName } from "@/server/cluster/health/types";

// Problems of every source from their data, by each registry entry's detector. The sources that need each
// other (EC2 and nodes, pods and nodes, alerts and both) read the others' data here, after all of them
// answered or failed.

export type { HealthData };

/** The problems each source's data shows (none for a source that failed). */
export function detectProblems(
  d: HealthData,
  now: number,
  history: Record<string, DepthPoint[]> = {},
  expectedQueues: readonly string[] = [],
  sources: readonly SourceDef[] = SOURCES,
): Record<SourceName, Problem[]> {
  const ctx = { nodes: d.nodes ?? null, pods: d.pods ?? null, now, history, expectedQueues };
  return Object.fromEntries(
    sources.map((s) => {
      const data = d[s.name];
      return [s.name, data ? s.problems(data, ctx) : []];
    }),
  ) as Record<SourceName, Problem[]>;
}
