import "server-only";
import { resolveConnection } from "@/server/cluster/kube/connection";
import { requireCluster } from "@/server/cluster/health/get-health";
import { KubeError } from "@/server/cluster/kube/kube-http";
import { loadKubeConfig, type KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { oneLine } from "@/server/cluster/health/with-timeout";
import { AppError, NotFoundError, ValidationError, publicMessage } from "@/server/errors";
import { log } from "@/server/log";
import type { ClusterConfig } from "@/server/config/clusters";

// What the web process reads from a cluster on demand (a pod's detail, events and logs): always with the
// portal's read-only identity, never the write one, and under a deadline.

/** How long one on-demand read may take before the page shows it timed out. */
export const READ_TIMEOUT_MS = 10_000;

/** The cluster's read-only identity (its reader kubeconfig); NotFoundError for an unknown cluster. */
export async function readerOf(cluster: string): Promise<KubeTarget> {
  const c = await requireCluster(cluster);
  return loadKubeConfig(resolveConnection(c.config).kubeconfig);
}

/** The EC2 region of a cluster's instances (a node page's console links); the sandbox names its own. */
export function ec2RegionOf(config: ClusterConfig): string {
  return resolveConnection(config).ec2.region;
}

/** Runs `fn` with a signal that aborts after `ms`; a timeout rejects with a one-line error saying so. */
export async function withDeadline<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(ms);
  try {
    return await fn(signal);
  } catch (err) {
    if (signal.aborted) throw new ClusterReadError(`The cluster did not answer within ${ms / 1000} s.`, 504);
    throw err;
  }
}

/** A cluster read that failed for a reason the user can act on, with the HTTP status to answer. */
export class ClusterReadError extends AppError {
  override name = "ClusterReadError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * The answer for a failed on-demand read. The apiserver's 400/403/404/422 keep their status and message (a 403
 * names the permission the identity lacks: kube-http's describeDenied); anything else from the cluster is a 502
 * with one line; bad input is a 400 and an unknown cluster a 404. Sign-in and role refusals are the route's
 * (errorResponse), checked before any read.
 */
export function readErrorResponse(err: unknown): Response {
  if (err instanceof ClusterReadError) return Response.json({ error: err.message }, { status: err.status });
  if (err instanceof KubeError) {
    const status = err.status === 401 ? 403 : [400, 403, 404, 422].includes(err.status) ? err.status : 502;
    return Response.json({ error: err.message }, { status });
  }
  if (err instanceof AppError) {
    const status = err instanceof ValidationError ? 400 : err instanceof NotFoundError ? 404 : 409;
    return Response.json({ error: publicMessage(err) }, { status });
  }
  log.warn("cluster read failed", { error: oneLine(err) });
  return Response.json({ error: `The cluster could not be read: ${oneLine(err)}` }, { status: 502 });
}
