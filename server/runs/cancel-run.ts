import "server-only";
import { db } from "@/server/db";
import { ConflictError, NotFoundError } from "@/server/errors";
import { RUN_CANCEL, RUN_STATE } from "@/server/runs/channels";

// Cancel and force-kill are requests recorded on the run; the worker that owns it acts on them.

/** Cancels a run: a queued run ends at once; a running one moves to cancelling and its worker interrupts the step. */
export async function cancelRun(runId: string, by: string): Promise<{ status: string }> {
  const queued = await db().run.updateMany({
    where: { id: runId, status: "queued" },
    data: { status: "cancelled", finishedAt: new Date(), cancelAt: new Date(), cancelledBy: by, error: `cancelled by ${by} before it started` },
  });
  if (queued.count) {
    await db().runStep.updateMany({ where: { runId, status: "pending" }, data: { status: "skipped" } });
    await db().$executeRaw`SELECT pg_notify(${RUN_STATE}, ${runId})`;
    return { status: "cancelled" };
  }
  const running = await db().run.updateMany({
    where: { id: runId, status: "running" },
    data: { status: "cancelling", cancelAt: new Date(), cancelledBy: by },
  });
  if (running.count) {
    await db().$executeRaw`SELECT pg_notify(${RUN_CANCEL}, ${runId})`;
    await db().$executeRaw`SELECT pg_notify(${RUN_STATE}, ${runId})`;
    return { status: "cancelling" };
  }
  const run = await db().run.findUnique({ where: { id: runId }, select: { status: true } });
  if (!run) throw new NotFoundError("There is no such run.");
  throw new ConflictError(run.status === "cancelling" ? "This run is already being cancelled." : `This run has already ended (${run.status}).`);
}

/** Force-kill: only for a run already cancelling; the worker sends SIGKILL to the step's process group at once. */
export async function forceKillRun(runId: string): Promise<void> {
  const updated = await db().run.updateMany({ where: { id: runId, status: "cancelling" }, data: { killRequested: true } });
  if (updated.count) {
    await db().$executeRaw`SELECT pg_notify(${RUN_CANCEL}, ${runId})`;
    return;
  }
  const run = await db().run.findUnique({ where: { id: runId }, select: { status: true } });
  if (!run) throw new NotFoundError("There is no such run.");
  throw new ConflictError(run.status === "running" ? "Cancel the run first; force-kill is only for a cancel that does not finish." : `This run has already ended (${run.status}).`);
}
