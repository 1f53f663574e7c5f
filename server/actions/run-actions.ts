"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { roleAction } from "@/server/actions/safe-action";
import { ForbiddenError } from "@/server/errors";
import { hasRole, OPERATION_ROLES } from "@/server/auth/roles";
import { pipeline } from "@/server/runs/pipelines";
import { startRun, startRunInput } from "@/server/runs/start-run";
import { cancelRun, forceKillRun } from "@/server/runs/cancel-run";

// Run actions. The chain checks the lowest role any of them needs; each body then checks the role
// the particular pipeline needs (teardown and reset-node are admin-only) against the object touched.
// Cancel and force-kill take their roles from OPERATION_ROLES (server/auth/roles.ts): force-kill is admin-only.

const runId = z.object({ runId: z.string().regex(/^[a-z0-9]{20,40}$/, "not a run id") });

export const startRunAction = roleAction({
  action: "run.start",
  role: "operator",
  input: startRunInput,
  target: (i) => `${i.cluster}/${i.pipeline}${i.node ? `/${i.node}` : ""}`,
  handler: async (input, { user }) => {
    const def = pipeline(input.pipeline);
    if (!hasRole(user.role, def.role))
      throw new ForbiddenError(`Not allowed: ${def.title} needs the ${def.role} role.`);
    const result = await startRun(input, user.actor);
    revalidatePath("/", "layout");
    return result;
  },
});

export const cancelRunAction = roleAction({
  action: "run.cancel",
  role: OPERATION_ROLES["run.cancel"],
  input: runId,
  target: (i) => i.runId,
  handler: async ({ runId }, { user }) => cancelRun(runId, user.actor),
});

export const forceKillRunAction = roleAction({
  action: "run.force-kill",
  role: OPERATION_ROLES["run.force-kill"],
  input: runId,
  target: (i) => i.runId,
  handler: async ({ runId }, { user }) => {
    await forceKillRun(runId, user.actor);
    return { status: "cancelling" };
  },
});
