"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { roleAction } from "@/server/actions/safe-action";
import { db } from "@/server/db";
import { approveRun, rejectRun } from "@/server/runs/run-store";
import { plainText } from "@/server/validation/plain-text";

// Approve or reject a guarded run's plan. The chain lets any operator through; the run store then checks,
// against the database at this moment, that the person is not the requester and holds the role the
// cluster's approval config names (default admin), and that the plan has not expired.

const decision = z.object({
  runId: z.string().regex(/^[a-z0-9]{20,40}$/, "not a run id"),
  comment: plainText({ min: 3, max: 500, minMessage: "Say why (at least 3 characters)." }),
});

export const approveRunAction = roleAction({
  action: "run.approve",
  role: "operator",
  input: decision,
  target: (i) => i.runId,
  handler: async ({ runId, comment }, { user }) => {
    const result = await approveRun(db(), runId, user.actor, comment);
    revalidatePath(`/runs/${runId}`);
    return result;
  },
});

export const rejectRunAction = roleAction({
  action: "run.reject",
  role: "operator",
  input: decision,
  target: (i) => i.runId,
  handler: async ({ runId, comment }, { user }) => {
    const result = await rejectRun(db(), runId, user.actor, comment);
    revalidatePath(`/runs/${runId}`);
    return result;
  },
});
