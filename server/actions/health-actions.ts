"use server";
import { z } from "zod";
import { roleAction } from "@/server/actions/safe-action";
import { may, OPERATION_ROLES } from "@/server/auth/roles";
import { argoAppNamespaces, CLUSTER_NAME } from "@/server/config/clusters";
import { ForbiddenError, NotFoundError, ValidationError } from "@/server/errors";
import { refreshApp, syncApp } from "@/server/cluster/sources/argocd";
import { resolveConnection } from "@/server/cluster/kube/connection";
import { askForHealth, requireCluster } from "@/server/cluster/health/get-health";
import { KubeError } from "@/server/cluster/kube/kube-http";
import { loadKubeConfig, type KubeTarget } from "@/server/cluster/kube/kubeconfig";

// Argo CD Refresh and Sync for operators: the same merge patches the Argo CD UI sends, through the
// cluster's write kubeconfig (the operator identity; health is read with the read-only one). The chain checks the role and audits each call. Afterwards the collectors are
// asked to read the cluster at once, so the pages show the outcome on their next poll.
// Two rules on top of the role (issue 16): Sync with prune deletes what is no longer in Git, so it is admin-only
// (OPERATION_ROLES in server/auth/roles.ts); and only Applications in the cluster's configured namespaces
// (`argocd.appNamespaces`, default ["argocd"]) are operated on. Both refusals are checked before the cluster is
// touched, and audited as refused by the chain.

const DNS = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const appRef = {
  cluster: z.string().regex(CLUSTER_NAME, "unknown cluster"),
  app: z.string().regex(DNS, "not an application name"),
  namespace: z.string().regex(DNS, "not a namespace").default("argocd"),
};

async function patching(
  cluster: string,
  namespace: string,
  app: string,
  fn: (kt: KubeTarget) => Promise<void>,
): Promise<{ app: string }> {
  const c = await requireCluster(cluster);
  const allowed = argoAppNamespaces(c.config);
  if (!allowed.includes(namespace)) {
    throw new ForbiddenError(
      `Not allowed: "${namespace}" is not one of ${cluster}'s Argo CD application namespaces (${allowed.join(", ")}). Add it to argocd.appNamespaces in the cluster's config to operate on it from the portal.`,
    );
  }
  try {
    await fn(loadKubeConfig(resolveConnection(c.config).writeKubeconfig));
    await askForHealth(c.id, true).catch(() => undefined);
    return { app };
  } catch (err) {
    if (err instanceof KubeError && err.status === 404)
      throw new NotFoundError(`No Argo CD application named "${app}".`);
    // 401/403 messages name the portal's write identity and what to grant it (kube-denied.ts).
    if (err instanceof KubeError && (err.status === 401 || err.status === 403)) throw new ValidationError(err.message);
    if (err instanceof KubeError && err.status < 500)
      throw new ValidationError(`The cluster refused the patch (${err.status}).`);
    throw err;
  }
}

export const refreshAppAction = roleAction({
  action: "argocd.refresh",
  role: OPERATION_ROLES["argocd.refresh"],
  input: z.object(appRef),
  target: (i) => `${i.cluster}/${i.namespace}/${i.app}`,
  handler: async (i) => {
    return patching(i.cluster, i.namespace, i.app, (kt) => refreshApp(kt, i.namespace, i.app));
  },
});

export const syncAppAction = roleAction({
  action: "argocd.sync",
  role: OPERATION_ROLES["argocd.sync"],
  input: z.object({
    ...appRef,
    revision: z
      .string()
      .regex(/^[A-Za-z0-9._/-]{1,100}$/, "not a revision")
      .default("HEAD"),
    prune: z.boolean().default(false),
  }),
  target: (i) => `${i.cluster}/${i.namespace}/${i.app}@${i.revision}${i.prune ? " (prune)" : ""}`,
  handler: async (i, { user }) => {
    if (i.prune && !may(user.role, "argocd.sync.prune")) {
      throw new ForbiddenError(
        `Not allowed: Sync with prune deletes resources no longer in Git and needs the ${OPERATION_ROLES["argocd.sync.prune"]} role. Sync without prune, or ask an admin.`,
      );
    }
    return patching(i.cluster, i.namespace, i.app, (kt) =>
      syncApp(kt, i.namespace, i.app, { username: user.actor, revision: i.revision, prune: i.prune }),
    );
  },
});
