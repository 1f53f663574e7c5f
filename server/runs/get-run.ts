import "server-only";
import { db } from "@/server/db";
import { redactText } from "@/server/runs/redact";
import type { RunSnapshot } from "@/lib/run-states";
import type { PlanSummary } from "@/server/plans/plan-summary";

// A run as the run page and the live stream show it.

export type { RunSnapshot } from "@/lib/run-states";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The run with its steps, or null for an unknown id. */
export async function getRunSnapshot(id: string): Promise<RunSnapshot | null> {
  const run = await db().run.findUnique({
    where: { id },
    include: {
      cluster: { select: { name: true } },
      steps: { orderBy: { index: "asc" } },
      // Everything but the plan file itself, which only the worker reads.
      plan: {
        select: {
          summary: true,
          plannedAt: true,
          expiresAt: true,
          approverRole: true,
          decision: true,
          decidedBy: true,
          comment: true,
          decidedAt: true,
        },
      },
    },
  });
  if (!run) return null;
  return {
    id: run.id,
    status: run.status,
    pipeline: run.pipeline,
    cluster: run.cluster.name,
    requestedBy: run.requestedBy,
    reason: redactText(run.reason), // runs stored before reasons were masked on the way in
    gitCommit: run.gitCommit,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    error: run.error,
    cancelledBy: run.cancelledBy,
    steps: run.steps.map((s) => ({
      index: s.index,
      key: s.key,
      title: s.title,
      status: s.status,
      startedAt: iso(s.startedAt),
      finishedAt: iso(s.finishedAt),
      exitCode: s.exitCode,
      truncated: s.truncated,
    })),
    approval: run.plan
      ? {
          summary: run.plan.summary as unknown as PlanSummary,
          plannedAt: run.plan.plannedAt.toISOString(),
          expiresAt: run.plan.expiresAt.toISOString(),
          approverRole: run.plan.approverRole,
          decision: run.plan.decision as "approved" | "rejected" | "expired" | null,
          decidedBy: run.plan.decidedBy,
          comment: run.plan.comment,
          decidedAt: iso(run.plan.decidedAt),
        }
      : null,
  };
}

export type StoredLine = { seq: number; step: number | null; t: string; s: "stdout" | "stderr" | "system"; x: string };

/** Up to `limit` lines after `afterSeq`, in order (the primary key (runId, seq) serves this). */
export async function linesAfter(runId: string, afterSeq: number, limit: number): Promise<StoredLine[]> {
  const rows = await db().$queryRaw<
    { seq: number; step: number | null; time: Date; stream: StoredLine["s"]; text: string }[]
  >`
    SELECT seq, step, time, stream::text AS stream, text FROM "LogLine" WHERE "runId" = ${runId} AND seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`;
  return rows.map((r) => ({ seq: r.seq, step: r.step, t: r.time.toISOString(), s: r.stream, x: r.text }));
}
