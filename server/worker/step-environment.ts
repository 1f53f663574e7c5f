import "server-only";
import path from "node:path";
import { env, inheritedEnvironment } from "@/server/env";
import type { ClusterConfig } from "@/server/config/clusters";

// The environment a step's script gets: the worker's own (PATH, AWS credentials, vault password)
// plus the target's settings. The same variables drive the scripts when run by hand.

/** Environment for a step on `cluster`. */
export function stepEnvironment(cluster: ClusterConfig, runId: string): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...inheritedEnvironment(), CLUSTER: cluster.name, PORTAL_RUN_ID: runId, CI: "true", TERM: "dumb" };
  delete base.DATABASE_URL; // steps have no business with the portal's database
  delete base.AUTH_SECRET;
  if (cluster.kind === "sandbox") {
    const scale = cluster.timeScale ?? env().SANDBOX_TIME_SCALE;
    return { ...base, TARGET: "sandbox", SANDBOX_STATE: cluster.stateDir, ...(scale ? { SANDBOX_TIME_SCALE: String(scale) } : {}) };
  }
  return {
    ...base,
    TARGET: "aws",
    AWS_REGION: cluster.region,
    KUBECONFIG: path.resolve(cluster.kubeconfig),
    ...(cluster.terraformVarFile ? { TF_VAR_FILE: path.resolve(cluster.terraformVarFile) } : {}),
  };
}
