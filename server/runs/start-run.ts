import "server-only";
import { z } from "zod";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { ConflictError, NotFoundError, RateLimitError, ValidationError } from "@/server/errors";
import { CLUSTER_NAME } from "@/server/config/clusters";
import { NODES, PIPELINES, pipeline } from "@/server/runs/pipelines";
import { ACTIVE_STATUSES } from "@/lib/run-states";
import { infraCommit } from "@/server/runs/infra-commit";
import { RUN_QUEUED } from "@/server/runs/channels";
import { redactText } from "@/server/runs/redact";
import { plainText } from "@/server/validation/plain-text";

// Queues a run. The partial unique index on Run(clusterId) for active states is the real lock;
// this code turns its violation into a refusal that names the run holding the cluster.

export const startRunInput = z
  .object({
    cluster: z.string().regex(CLUSTER_NAME, "unknown cluster"),
    pipeline: z.enum(PIPELINES),
    node: z.enum(NODES).optional(),
    reason: plainText({ min: 3, max: 500, minMessage: "Say why (at least 3 characters)." }),
    confirm: z.string().max(100).optional(),
  })
  .refine((v) => (v.pipeline === "reset-node") === Boolean(v.node), { message: "A node is needed for reset-node, and only for it.", path: ["node"] });

export type StartRunInput = z.infer<typeof startRunInput>;

function isActiveRunConflict(err: unknown): boolean {
  const text = `${(err as { code?: string }).code ?? ""} ${(err as Error).message ?? ""} ${JSON.stringify((err as { meta?: unknown }).meta ?? {})}`;
  return /P2002|23505|Run_one_active_per_cluster|unique constraint/i.test(text);
}

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
  const steps = def.steps({ node: input.node });
  const gitCommit = await infraCommit();
  try {
    const run = await db().$transaction(async (tx) => {
      const created = await tx.run.create({
        data: {
          clusterId: cluster.id,
          pipeline: def.name,
          params: input.node ? { node: input.node } : {},
          requestedBy,
          // Shown on pages, exported and sent to webhooks: a secret pasted into a reason is masked before it is stored.
          reason: redactText(input.reason),
          gitCommit,
          steps: { create: steps.map((s, index) => ({ index, key: s.key, title: s.title })) },
        },
      });
      await tx.$executeRaw`SELECT pg_notify(${RUN_QUEUED}, ${created.id})`;
      return created;
    });
    return { runId: run.id };
  } catch (err) {
    if (!isActiveRunConflict(err)) throw err;
    const active = await db().run.findFirst({
      where: { clusterId: cluster.id, status: { in: [...ACTIVE_STATUSES] } },
      select: { id: true, pipeline: true, status: true, requestedBy: true },
    });
    const holder = active ? `run ${active.id} (${active.pipeline}, ${active.status}, by ${active.requestedBy})` : "another run";
    throw new ConflictError(`${cluster.name} is busy: ${holder} holds it. Wait for it to finish or cancel it.`, active ? { runId: active.id } : undefined);
  }
}
