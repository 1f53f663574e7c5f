// Test helper: inserts finished runs with steps and log lines directly, at chosen times.
import type { PrismaClient } from "@/server/generated/prisma/client";

import { isTerminalStatus, type RunStatus, type StepStatus } from "@/lib/run-states";

/** A run to insert: starts at `at`, steps run back to back for their `ms`. */
export type RunSpec = {
  clusterId: string;
  pipeline?: string;
  status: RunStatus;
  at: string;
  steps?: { key: string; status?: StepStatus; ms?: number }[];
  /** Whole-run duration when there are no steps. */
  ms?: number;
  lines?: { step: number | null; stream?: "stdout" | "stderr" | "system"; text: string }[];
};

/** Inserts one run with its steps and log lines; returns its id. */
export async function insertRun(prisma: PrismaClient, spec: RunSpec): Promise<string> {
  const start = Date.parse(spec.at);
  let t = start;
  const steps = (spec.steps ?? []).map((s, index) => {
    const startedAt = s.status === "pending" || s.status === "skipped" ? null : new Date(t);
    const finishedAt = startedAt && s.status !== "running" ? new Date((t += s.ms ?? 0)) : null;
    return {
      index,
      key: s.key,
      title: `Step ${s.key}`,
      status: s.status ?? "succeeded",
      startedAt,
      finishedAt,
      exitCode: s.status === "failed" ? 1 : s.status === "succeeded" ? 0 : null,
    };
  });
  const end = spec.steps?.length ? t : start + (spec.ms ?? 0);
  const terminal = isTerminalStatus(spec.status);
  const run = await prisma.run.create({
    data: {
      clusterId: spec.clusterId,
      pipeline: spec.pipeline ?? "rebuild",
      status: spec.status,
      requestedBy: "test",
      reason: "history test",
      createdAt: new Date(start),
      startedAt: spec.status === "queued" ? null : new Date(start),
      finishedAt: terminal ? new Date(end) : null,
      steps: { create: steps },
    },
  });
  if (spec.lines?.length) {
    await prisma.logLine.createMany({
      data: spec.lines.map((l, seq) => ({
        runId: run.id,
        seq,
        step: l.step,
        stream: l.stream ?? "stdout",
        text: l.text,
        time: new Date(start),
      })),
    });
  }
  return run.id;
}
