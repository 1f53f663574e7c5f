import "server-only";
import os from "node:os";
import { openPortal } from "@/server/bootstrap/open-portal";
import { recordAudit } from "@/server/audit/record-audit";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { approveRun, rejectRun } from "@/server/runs/run-store";
import { plainText } from "@/server/validation/plain-text";
import { UsageError, parseCommandLine } from "@/server/cli/usage-error";

// npm run -s cli -- approve|reject RUN --comment TEXT [--as USER]: the web's Approve / Reject from a
// terminal. The decision is a portal user's: --as names them (default: the login name of this terminal),
// and the same rules as on the web apply (run store): not the requester, the approver role from the
// database, before the plan expires. The CLI runs with the database's credentials, so --as is trusted as
// the server trusts a session; every decision is audited under that name.

const usage = (verb: string) => `usage: npm run -s cli -- ${verb} RUN_ID --comment TEXT [--as USER]`;
const comment = plainText({ min: 3, max: 500, minMessage: "say why (at least 3 characters)" });

/** Approves or rejects a run awaiting approval and prints what happens next. */
export async function approvalCommand(verb: "approve" | "reject", argv: string[]): Promise<void> {
  const { positionals, values } = parseCommandLine(argv, usage(verb), {
    comment: { type: "string" },
    as: { type: "string" },
  }) as {
    positionals: string[];
    values: { comment?: string; as?: string };
  };
  if (positionals.length !== 1 || !/^[A-Za-z0-9_-]{1,64}$/.test(positionals[0]!)) throw new UsageError(usage(verb));
  const parsed = comment.safeParse(values.comment ?? "");
  if (!parsed.success) throw new UsageError(`--comment: ${parsed.error.issues[0]!.message}\n${usage(verb)}`);
  const runId = positionals[0]!;
  const by = values.as ?? os.userInfo().username;
  if (!/^[^\s\u0000-\u001f]{1,200}$/.test(by)) throw new UsageError(`--as: not a user name\n${usage(verb)}`);
  const action = verb === "approve" ? "run.approve" : "run.reject";
  const portal = await openPortal();
  try {
    try {
      await (verb === "approve" ? approveRun : rejectRun)(db(), runId, by, parsed.data);
    } catch (err) {
      if (err instanceof AppError)
        await recordAudit({
          actor: by,
          action,
          target: runId,
          outcome: "refused",
          detail: { reason: err.message, via: "cli" },
        });
      throw err;
    }
    await recordAudit({ actor: by, action, target: runId, outcome: "success", detail: { via: "cli" } });
    console.log(
      verb === "approve"
        ? `run ${runId} approved by ${by}: a worker continues it with the saved plan`
        : `run ${runId} rejected by ${by}: nothing was applied`,
    );
  } finally {
    await portal.close();
  }
}
