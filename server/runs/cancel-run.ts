import "server-only";
import { db } from "@/server/db";
import { requestCancel, requestForceKill } from "@/server/runs/run-store";

// Cancel and force-kill are requests recorded on the run; the worker that owns it acts on them. The rules
// (who may cancel when, which states) live in server/runs/run-store.ts.

/** Cancels a run: a queued run ends at once; a running one moves to cancelling and its worker interrupts the step. */
export async function cancelRun(runId: string, by: string): Promise<{ status: string; warning: string | null }> {
  return requestCancel(db(), runId, by);
}

/** Force-kill: only for a run already cancelling; the worker sends SIGKILL to the step's process group at once. */
export async function forceKillRun(runId: string, by = "unknown"): Promise<void> {
  await requestForceKill(db(), runId, by);
}
