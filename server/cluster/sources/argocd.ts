import "server-only";
import { kubeListAll, kubePatchJson } from "@/server/cluster/kube/kube-http";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import type { Problem } from "@/server/cluster/health/types";

// Argo CD: Applications (argoproj.io/v1alpha1) read through the Kubernetes API, and the refresh and
// sync patches the Argo CD UI itself sends.

export type AppInfo = {
  name: string;
  namespace: string;
  project: string | null;
  repo: string | null;
  path: string | null;
  targetRevision: string | null;
  destNamespace: string | null;
  sync: string;
  health: string;
  healthMessage: string | null;
  revision: string | null;
  reconciledAt: string | null;
  refreshRequested: boolean;
  operationPending: boolean;
  lastOperation: { phase: string; message: string | null; startedAt: string | null; finishedAt: string | null } | null;
};

type RawApp = {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: {
    project?: string;
    source?: { repoURL?: string; path?: string; targetRevision?: string };
    destination?: { namespace?: string };
  };
  operation?: unknown;
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    reconciledAt?: string;
    operationState?: { phase?: string; message?: string; startedAt?: string; finishedAt?: string };
  };
};

/** Maps an Application object to the fields the portal shows. */
export function toAppInfo(a: RawApp): AppInfo {
  const op = a.status?.operationState;
  return {
    name: a.metadata.name,
    namespace: a.metadata.namespace ?? "argocd",
    project: a.spec?.project ?? null,
    repo: a.spec?.source?.repoURL ?? null,
    path: a.spec?.source?.path ?? null,
    targetRevision: a.spec?.source?.targetRevision ?? null,
    destNamespace: a.spec?.destination?.namespace ?? null,
    sync: a.status?.sync?.status ?? "Unknown",
    health: a.status?.health?.status ?? "Unknown",
    healthMessage: a.status?.health?.message ?? null,
    revision: a.status?.sync?.revision ?? null,
    reconciledAt: a.status?.reconciledAt ?? null,
    refreshRequested: !!a.metadata.annotations?.["argocd.argoproj.io/refresh"],
    operationPending: a.operation !== undefined && a.operation !== null,
    lastOperation: op?.phase
      ? {
          phase: op.phase,
          message: op.message ?? null,
          startedAt: op.startedAt ?? null,
          finishedAt: op.finishedAt ?? null,
        }
      : null,
  };
}

/** OutOfSync, Degraded or Missing health, and a last operation that failed. */
export function appProblems(apps: AppInfo[]): Problem[] {
  const out: Problem[] = [];
  for (const a of apps) {
    const base = { source: "argocd" as const, app: a.name, namespace: a.destNamespace ?? undefined, workload: a.name };
    if (a.sync === "OutOfSync" || a.sync === "Unknown")
      out.push({
        ...base,
        type: "app-out-of-sync",
        severity: "warning",
        message: `Argo CD app ${a.name} is ${a.sync}${a.targetRevision ? ` with ${a.targetRevision}` : ""}`,
        hint: "What runs differs from Git: look at the diff in Argo CD, then Sync (operators).",
      });
    if (a.health === "Degraded" || a.health === "Missing")
      out.push({
        ...base,
        type: `app-${a.health.toLowerCase()}`,
        severity: "warning",
        message: `Argo CD app ${a.name} is ${a.health}${a.healthMessage ? `: ${a.healthMessage}` : ""}`,
        hint:
          a.health === "Missing"
            ? "Its resources do not exist in the cluster: Sync it."
            : "Its resources are unhealthy: look at the app's pods on the tier page.",
      });
    if (a.lastOperation && (a.lastOperation.phase === "Failed" || a.lastOperation.phase === "Error"))
      out.push({
        ...base,
        type: "app-sync-failed",
        severity: "warning",
        message: `The last sync of ${a.name} ${a.lastOperation.phase === "Error" ? "errored" : "failed"}${a.lastOperation.message ? `: ${a.lastOperation.message}` : ""}`,
        hint: "Read the operation's message in Argo CD and sync again once fixed.",
      });
  }
  return out;
}

/** Lists Applications in every namespace (paged). */
export async function listApps(kt: KubeTarget, signal: AbortSignal): Promise<AppInfo[]> {
  const apps = await kubeListAll<RawApp, AppInfo>(kt, "/apis/argoproj.io/v1alpha1/applications", {}, signal, toAppInfo);
  return apps.sort((a, b) => a.name.localeCompare(b.name));
}

const appPath = (namespace: string, name: string) =>
  `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/applications/${encodeURIComponent(name)}`;

/** Asks the application controller to re-read Git, as the UI's Refresh does. */
export async function refreshApp(
  kt: KubeTarget,
  namespace: string,
  name: string,
  signal = AbortSignal.timeout(15_000),
): Promise<void> {
  await kubePatchJson(
    kt,
    appPath(namespace, name),
    { metadata: { annotations: { "argocd.argoproj.io/refresh": "normal" } } },
    signal,
  );
}

/** Starts a sync operation, as the UI's Sync does. */
export async function syncApp(
  kt: KubeTarget,
  namespace: string,
  name: string,
  opts: { username: string; revision: string; prune: boolean },
  signal = AbortSignal.timeout(15_000),
): Promise<void> {
  const body = {
    operation: {
      initiatedBy: { username: opts.username },
      sync: { revision: opts.revision, ...(opts.prune ? { prune: true } : {}) },
    },
  };
  await kubePatchJson(kt, appPath(namespace, name), body, signal);
}
