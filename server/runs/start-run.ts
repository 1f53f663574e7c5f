import "server-only";
import { z } from "zod";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { NotFoundError, RateLimitError, ValidationError } from "@/server/errors";
import { CLUSTER_NAME, clusterApproval, type ClusterConfig } from "@/server/config/clusters";
import { NODES, PIPELINES, pipeline } from "@/server/runs/pipelines";
import { infraCommit } from "@/server/runs/infra-commit";
import { queueRun } from "@/server/runs/run-store";
import { redactText } from "@/server/runs/redact";
import { plainText } from "@/server/validation/plain-text";

// Checks a start request (input, confirmation, rate) and queues the run through the run store, whose
// queueRun turns the one-active-run-per-cluster index into a refusal naming the holder.

export const startRunInput = z
  .object({
    cluster: z.string().regex(CLUSTER_NAME, "unknown cluster"),
    pipeline: z.enum(PIPELINES),
    node: z.enum(NODES).optional(),
    reason: plainText({ min: 3, max: 500, minMessage: "Say why (at least 3 characters)." }),
    confirm: z.string().max(100).optional(),
  })
  .refine((v) => (v.pipeline === "reset-node") === Boolean(v.node), {
    message: "A node is needed for reset-node, and only for it.",
    path: ["node"],
  });

export type StartRunInput = z.infer<typeof startRunInput>;

/** Queues a run and wakes the workers; refuses when the cluster is busy or the user starts too often. */
export async function startRun(input: StartRunInput, requestedBy: string): Promise<{ runId: string }> {
  const def = pipeline(input.pipeline);
  const cluster = await db().cluster.findUnique({ where: { name: input.cluster } });
  if (!cluster) throw new NotFoundError(`There is no cluster named "${input.cluster}".`);
  if (def.destructive && input.confirm !== cluster.name) {
    throw new ValidationError(`${def.title} is destructive: type the cluster's name, ${cluster.name}, to confirm.`);
  }
  const since = new Date(Date.now() - 60_000);
  const recent = await db().run.count({ where: { requestedBy, createdAt: { gte: since } } });
  if (recent >= env().PORTAL_START_RATE_PER_MIN) {
    throw new RateLimitError(`Too many starts: ${recent} in the last minute. Wait a minute and try again.`);
  }
  // A guarded run plans first and waits for a second person (the cluster's approval config); the flag is
  // kept on the run, so the worker builds the same steps whatever the config says by the time it runs.
  const guarded = def.guardable && clusterApproval(cluster.config as ClusterConfig).required;
  const steps = def.steps({ node: input.node, guarded });
  return queueRun(db(), {
    cluster: { id: cluster.id, name: cluster.name },
    pipeline: def.name,
    params: { ...(input.node ? { node: input.node } : {}), ...(guarded ? { guarded: true } : {}) },
    requestedBy,
    // Shown on pages, exported and sent to webhooks: a secret pasted into a reason is masked before it is stored.
    reason: redactText(input.reason),
    gitCommit: await infraCommit(),
    steps,
  });
}
