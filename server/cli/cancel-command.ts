import "server-only";
import os from "node:os";
import { openPortal } from "@/server/bootstrap/open-portal";
import { recordAudit } from "@/server/audit/record-audit";
import { cancelRun, forceKillRun } from "@/server/runs/cancel-run";
import { UsageError, parseCommandLine } from "@/server/cli/usage-error";

// npm run -s cli -- cancel RUN [--kill]: the web's Cancel (and Force-kill) from a terminal, recorded
// the same way. The worker that owns the run walks the cancel ladder; a run whose process is gone is
// swept to `interrupted` first, so a crashed terminal's run is freed rather than left "cancelling".

const USAGE = "usage: npm run -s cli -- cancel RUN_ID [--kill]";

/** Requests the cancel (or the force-kill) of a run and prints what happens next. */
export async function cancelCommand(argv: string[]): Promise<void> {
  const { positionals, values } = parseCommandLine(argv, USAGE, { kill: { type: "boolean", default: false } });
  if (positionals.length !== 1 || !/^[A-Za-z0-9_-]{1,64}$/.test(positionals[0]!)) throw new UsageError(USAGE);
  const runId = positionals[0]!;
  const actor = `cli:${os.userInfo().username}`;
  const portal = await openPortal({ sweep: true });
  try {
    if (portal.swept.includes(runId)) {
      console.log(`run ${runId} is interrupted: its process had stopped heartbeating; its cluster is free`);
      return;
    }
    if (values.kill) {
      await forceKillRun(runId, actor);
      await recordAudit({ actor, action: "run.force-kill", target: runId, outcome: "success" });
      console.log(`run ${runId}: SIGKILL requested for its step`);
      return;
    }
    const { status } = await cancelRun(runId, actor);
    await recordAudit({ actor, action: "run.cancel", target: runId, outcome: "success" });
    console.log(
      status === "cancelled"
        ? `run ${runId} cancelled before it started`
        : `run ${runId} is cancelling: SIGINT to its step, SIGKILL after the grace period`,
    );
  } finally {
    await portal.close();
  }
}
