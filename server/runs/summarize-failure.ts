import "server-only";
import { db } from "@/server/db";
import { isTerminalStatus } from "@/lib/run-states";
import { ansibleTaskName, classifyFailure, type FailureCause } from "@/server/runs/classify-failure";

// The failure summary of a run: for each step that did not succeed, its first error lines and a cause.
// Bounded reads: a few lines per step through the (runId, seq) key, never a whole log.

export type FailedStep = {
  index: number;
  title: string;
  cause: FailureCause;
  lines: { seq: number; text: string }[];
  causeSeq: number | null;
};

const ERROR_LINE = "(stream = 'stderr' OR text ~* '(error|fatal|failed|unreachable)')";

/** Null for a run that succeeded or has not ended. */
export async function summarizeFailure(
  runId: string,
): Promise<{ steps: FailedStep[]; runError: string | null } | null> {
  const run = await db().run.findUnique({ where: { id: runId }, include: { steps: { orderBy: { index: "asc" } } } });
  if (!run || !isTerminalStatus(run.status) || run.status === "succeeded") return null;
  const bad = run.steps.filter((s) => s.status === "failed" || s.status === "cancelled");
  const steps: FailedStep[] = [];
  for (const s of bad) {
    const lines = await db().$queryRawUnsafe<{ seq: number; text: string }[]>(
      `SELECT seq, text FROM "LogLine" WHERE "runId" = $1 AND step = $2 AND stream <> 'system' AND ${ERROR_LINE} ORDER BY seq LIMIT 5`,
      runId,
      s.index,
    );
    const first = lines[0]?.seq ?? null;
    const task = first
      ? await db().$queryRawUnsafe<{ text: string }[]>(
          `SELECT text FROM "LogLine" WHERE "runId" = $1 AND step = $2 AND seq < $3 AND text LIKE 'TASK [%' ORDER BY seq DESC LIMIT 1`,
          runId,
          s.index,
          first,
        )
      : [];
    const cause = classifyFailure({
      runStatus: run.status,
      runError: run.error,
      exitCode: s.exitCode,
      signal: s.signal,
      lines: lines.map((l) => l.text),
      lastTask: task[0] ? ansibleTaskName(task[0].text) : null,
    });
    steps.push({ index: s.index, title: s.title, cause, lines, causeSeq: first });
  }
  if (!steps.length) {
    // Ended before any step failed (cancelled while queued, deadline between steps, worker lost early).
    const cause = classifyFailure({
      runStatus: run.status,
      runError: run.error,
      exitCode: null,
      signal: null,
      lines: [],
      lastTask: null,
    });
    return { steps: [{ index: -1, title: "Run", cause, lines: [], causeSeq: null }], runError: run.error };
  }
  return { steps, runError: run.error };
}
