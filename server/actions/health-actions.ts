"use server";
import { z } from "zod";
import { roleAction } from "@/server/actions/safe-action";
import { CLUSTER_NAME } from "@/server/config/clusters";
import { NotFoundError, ValidationError } from "@/server/errors";
import { refreshApp, syncApp } from "@/server/cluster/sources/argocd";
import { resolveConnection } from "@/server/cluster/kube/connection";
import { askForHealth, requireCluster } from "@/server/cluster/health/get-health";
import { KubeError } from "@/server/cluster/kube/kube-http";
import { loadKubeConfig, type KubeTarget } from "@/server/cluster/kube/kubeconfig";

// Argo CD Refresh and Sync for operators: the same merge patches the Argo CD UI sends, through the
// cluster's write kubeconfig (the operator identity; health is read with the read-only one). The chain checks the role and audits each call. Afterwards the collectors are
// asked to read the cluster at once, so the pages show the outcome on their next poll.

const DNS = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const appRef = {
  cluster: z.string().regex(CLUSTER_NAME, "unknown cluster"),
  app: z.string().regex(DNS, "not an application name"),
  namespace: z.string().regex(DNS, "not a namespace").default("argocd"),
};

async function patching(cluster: string, app: string, fn: (kt: KubeTarget) => Promise<void>): Promise<{ app: string }> {
  const c = await requireCluster(cluster);
  try {
    await fn(loadKubeConfig(resolveConnection(c.config).writeKubeconfig));
    await askForHealth(c.id, true).catch(() => undefined);
    return { app };
  } catch (err) {
    if (err instanceof KubeError && err.status === 404) throw new NotFoundError(`No Argo CD application named "${app}".`);
    // 401/403 messages name the portal's write identity and what to grant it (kube-denied.ts).
    if (err instanceof KubeError && (err.status === 401 || err.status === 403)) throw new ValidationError(err.message);
    if (err instanceof KubeError && err.status < 500) throw new ValidationError(`The cluster refused the patch (${err.status}).`);
    throw err;
  }
}

export const refreshAppAction = roleAction({
  action: "argocd.refresh",
  role: "operator",
  input: z.object(appRef),
  target: (i) => `${i.cluster}/${i.namespace}/${i.app}`,
  handler: async (i) => {
    return patching(i.cluster, i.app, (kt) => refreshApp(kt, i.namespace, i.app));
  },
});

export const syncAppAction = roleAction({
  action: "argocd.sync",
  role: "operator",
  input: z.object({ ...appRef, revision: z.string().regex(/^[A-Za-z0-9._/-]{1,100}$/, "not a revision").default("HEAD"), prune: z.boolean().default(false) }),
  target: (i) => `${i.cluster}/${i.namespace}/${i.app}@${i.revision}${i.prune ? " (prune)" : ""}`,
  handler: async (i, { user }) => {
    return patching(i.cluster, i.app, (kt) => syncApp(kt, i.namespace, i.app, { username: user.actor, revision: i.revision, prune: i.prune }));
  },
});
