// Argo CD Applications and a tiny application controller that reacts to refresh and sync patches.
import { now } from "./builders";
import type { Cluster } from "./cluster";
import type { K8sObject } from "./types";

const REPO = "https://github.com/growbin/backend-gitops.git";
const REVISION = "9f2c1e4b7a0d3c5e8f6a1b2c3d4e5f60718293a4";

// A new Application, as `kubectl apply` of the app-of-apps leaves it before the first sync.
export function buildApplication(name: string): K8sObject {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: {
      name,
      namespace: "argocd",
      labels: { "app.kubernetes.io/part-of": "growbin" },
      finalizers: ["resources-finalizer.argocd.argoproj.io"],
    },
    spec: {
      project: "default",
      source: { repoURL: REPO, targetRevision: "main", path: `charts/${name}`, helm: { valueFiles: ["values.yaml"] } },
      destination: { server: "https://kubernetes.default.svc", namespace: "default" },
      syncPolicy: { syncOptions: ["CreateNamespace=true"] },
    },
    status: {
      sync: {
        status: "OutOfSync",
        comparedTo: {
          source: { repoURL: REPO, targetRevision: "main", path: `charts/${name}` },
          destination: { server: "https://kubernetes.default.svc", namespace: "default" },
        },
        revision: REVISION,
      },
      health: { status: "Missing" },
      resources: [
        {
          group: "apps",
          version: "v1",
          kind: "Deployment",
          namespace: "default",
          name,
          status: "OutOfSync",
          health: { status: "Missing" },
        },
        {
          version: "v1",
          kind: "Service",
          namespace: "default",
          name,
          status: "OutOfSync",
          health: { status: "Missing" },
        },
      ],
      reconciledAt: now(),
      sourceType: "Helm",
      summary: { images: [] },
    },
  };
}

// Sets sync and health, keeping the per-resource statuses consistent with them.
export function setAppStatus(app: K8sObject, sync: string, health: string, message?: string): void {
  app.status.sync.status = sync;
  app.status.health = message ? { status: health, message } : { status: health };
  for (const r of app.status.resources ?? []) {
    r.status = sync;
    r.health = {
      status: r.kind === "Service" && health !== "Missing" ? "Healthy" : health,
      ...(message && r.kind === "Deployment" ? { message } : {}),
    };
  }
  app.status.reconciledAt = now();
}

// The active fault of a kind on an app, if any.
function faultOn(cluster: Cluster, kind: string, app: string) {
  return cluster.faults.find((f) => f.kind === kind && f.target === app);
}

// Reacts to a patched Application as the application controller would: refresh re-reads, sync applies.
export function reconcileApplication(cluster: Cluster, app: K8sObject, delayMs: number): void {
  const name = app.metadata.name;
  const refresh = app.metadata.annotations?.["argocd.argoproj.io/refresh"];
  const sync = app.operation?.sync;
  if (!refresh && !sync) return;
  setTimeout(
    () => {
      const cur = cluster.store.get("applications", name, "argocd");
      if (!cur) return;
      if (refresh) {
        cluster.store.update("applications", name, "argocd", (a) => {
          delete a.metadata.annotations!["argocd.argoproj.io/refresh"];
          a.status.reconciledAt = now();
        });
      }
      if (!sync) return;
      const startedAt = now();
      cluster.store.update("applications", name, "argocd", (a) => {
        a.status.operationState = {
          operation: a.operation,
          phase: "Running",
          message: "one or more tasks are running",
          startedAt,
        };
        if (a.status.health.status !== "Degraded") setAppStatus(a, a.status.sync.status, "Progressing");
      });
      setTimeout(() => {
        // A sync re-applies the desired state, which ends a drift; a degraded workload stays degraded.
        const drift = faultOn(cluster, "app-outofsync", name);
        if (drift) cluster.faults = cluster.faults.filter((f) => f !== drift);
        const degraded = faultOn(cluster, "app-degraded", name);
        cluster.store.update("applications", name, "argocd", (a) => {
          const op = a.operation;
          delete a.operation;
          a.status.operationState = {
            operation: op,
            phase: "Succeeded",
            message: "successfully synced (all tasks run)",
            startedAt,
            finishedAt: now(),
            syncResult: {
              revision: REVISION,
              source: a.spec.source,
              resources: a.status.resources.map((r: any) => ({
                ...r,
                status: "Synced",
                message: `${r.kind.toLowerCase()}.apps/${r.name} configured`,
                syncPhase: "Sync",
                hookPhase: "Running",
              })),
            },
          };
          a.status.history = [
            ...(a.status.history ?? []),
            {
              revision: REVISION,
              deployedAt: now(),
              id: a.status.history?.length ?? 0,
              source: a.spec.source,
              deployStartedAt: startedAt,
            },
          ].slice(-10);
          if (degraded) setAppStatus(a, "Synced", "Degraded", (degraded.saved as any)?.message);
          else setAppStatus(a, "Synced", "Healthy");
        });
        cluster.save();
      }, delayMs);
    },
    Math.max(1, delayMs / 4),
  );
}
