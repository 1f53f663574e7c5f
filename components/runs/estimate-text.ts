import { formatDuration } from "@/lib/format";

// What a confirmation dialog promises about how long a pipeline takes: the cluster's own history first.

/** The median of the last succeeded runs of a pipeline on this cluster, and how many there were. */
export type DurationStat = { medianMs: number; runs: number };

/** The team's documented figure for a full rebuild on AWS (auto-rebuild.sh, seed summary): 40-50 minutes. */
export const AWS_REBUILD_FIGURE = "40-50 minutes";

/** "usually takes about 1m 20s (median of the last 4 rebuilds here)", the seed's figure for AWS, or null. */
export function durationText(pipeline: string, kind: "aws" | "sandbox", stat: DurationStat | undefined): string | null {
  if (stat && stat.runs > 0) {
    const noun = stat.runs === 1 ? `the last ${pipeline} here` : `the last ${stat.runs} ${pipeline} runs here`;
    return `This usually takes about ${formatDuration(stat.medianMs)} (${stat.runs === 1 ? "" : "median of "}${noun}).`;
  }
  if (pipeline === "rebuild" && kind === "aws")
    return `On AWS this takes ${AWS_REBUILD_FIGURE} (no earlier rebuild of this cluster to go by).`;
  return null;
}
