"use client";

import { useRef, useState, useTransition } from "react";
import type { AppInfo } from "@/server/cluster/sources/argocd";
import type { ArgoView } from "@/server/cluster/health/health-views";
import { refreshAppAction, syncAppAction } from "@/server/actions/health-actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { may, OPERATION_ROLES, type RoleName } from "@/server/auth/roles";
import { Card } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Ago } from "@/components/ui/ago";
import { LiveStatus } from "@/components/health/live-status";
import { ProblemList } from "@/components/health/problem-list";
import { SourceError } from "@/components/health/source-errors";
import { NotProvisioned } from "@/components/health/not-provisioned";
import { useHealthQuery } from "@/components/health/use-health-query";

// Argo CD applications, live, with Refresh and Sync for operators. The sync dialog stays open across refreshes.
// Prune is offered to admins only, and an Application outside the cluster's configured namespaces
// (argocd.appNamespaces) is shown but not operated on; each says why. The server enforces both (health-actions.ts).
const tone = (s: string) =>
  s === "Synced" || s === "Healthy" ? "ok" : s === "Progressing" ? "running" : s === "Unknown" ? "unknown" : "degraded";

export function ArgoCdLive({
  cluster,
  initial,
  initialAt,
  role,
  appNamespaces,
}: {
  cluster: string;
  initial: ArgoView;
  initialAt: number;
  role: RoleName;
  appNamespaces: string[];
}) {
  const canOperate = may(role, "argocd.sync");
  const canPrune = may(role, "argocd.sync.prune");
  const q = useHealthQuery<ArgoView>(`/api/clusters/${encodeURIComponent(cluster)}/health/argocd`, initial, initialAt);
  const v = q.data ?? initial;
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const [target, setTarget] = useState<AppInfo | null>(null);
  const [revision, setRevision] = useState("");
  const [prune, setPrune] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  const refresh = (a: AppInfo) =>
    start(async () => {
      const r = await refreshAppAction({ cluster, app: a.name, namespace: a.namespace });
      setMessage(r.ok ? `Refresh requested for ${a.name}.` : r.message);
      void q.refetch();
    });
  const openSync = (a: AppInfo) => {
    setTarget(a);
    setRevision(a.targetRevision ?? "HEAD");
    setPrune(false);
    dialog.current?.showModal();
  };
  const sync = () =>
    start(async () => {
      if (!target) return;
      const r = await syncAppAction({ cluster, app: target.name, namespace: target.namespace, revision, prune });
      setMessage(r.ok ? `Sync of ${target.name} to ${revision} started.` : r.message);
      if (r.ok) dialog.current?.close();
      void q.refetch();
    });

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-xl font-semibold">Argo CD · {cluster}</h1>
        <LiveStatus
          reading={v}
          fetchedAt={q.dataUpdatedAt || initialAt}
          fetching={q.isFetching}
          error={q.error?.message ?? null}
        />
      </div>
      {message ? (
        <p role="status" className="text-sm" data-testid="argo-message">
          {message}
        </p>
      ) : null}
      {v.provisioned === false ? (
        <NotProvisioned cluster={cluster} />
      ) : v.apps ? null : (
        <div role="status" className="text-sm text-amber-800 dark:text-amber-300">
          <SourceError source="argocd" error={v.sources.argocd.error ?? undefined} />
        </div>
      )}
      <Card title="Problems">
        <ProblemList problems={v.problems} empty="Every application is synced and healthy." />
      </Card>
      {v.apps ? (
        <Card title="Applications">
          <Table>
            <thead>
              <tr>
                <Th>Application</Th>
                <Th>Sync</Th>
                <Th>Health</Th>
                <Th>Revision</Th>
                <Th>Last operation</Th>
                {canOperate ? <Th /> : null}
              </tr>
            </thead>
            <tbody>
              {v.apps.length === 0 ? (
                <tr data-testid="apps-empty">
                  <Td colSpan={canOperate ? 6 : 5} className="text-slate-600 dark:text-slate-400">
                    No Argo CD application is registered
                    {v.provisioned === false
                      ? ": the cluster is not provisioned"
                      : " (Argo CD may not be installed yet, or has no Application)"}
                    .
                  </Td>
                </tr>
              ) : null}
              {v.apps.map((a) => (
                <tr key={`${a.namespace}/${a.name}`} data-testid={`app-row-${a.name}`}>
                  <Td>
                    <span className="font-medium">{a.name}</span>
                    <span className="block text-xs text-slate-500">
                      {a.path} → {a.destNamespace}
                    </span>
                  </Td>
                  <Td>
                    <StatusBadge status={tone(a.sync)} />{" "}
                    <span className="text-xs" data-testid="app-sync">
                      {a.sync}
                    </span>
                  </Td>
                  <Td>
                    <StatusBadge status={tone(a.health)} />{" "}
                    <span className="text-xs" data-testid="app-health">
                      {a.health}
                    </span>
                    {a.healthMessage ? <span className="block text-xs text-slate-500">{a.healthMessage}</span> : null}
                  </Td>
                  <Td className="font-mono text-xs">
                    {a.targetRevision} {a.revision ? `(${a.revision.slice(0, 7)})` : ""}
                  </Td>
                  <Td className="text-xs">
                    <span data-testid="app-operation">
                      {a.lastOperation ? (
                        <>
                          {a.lastOperation.phase}
                          {a.lastOperation.message ? `: ${a.lastOperation.message}` : ""} ·{" "}
                          <Ago
                            since={a.lastOperation.finishedAt ?? a.lastOperation.startedAt}
                            at={v.at}
                            suffix=" ago"
                          />
                        </>
                      ) : (
                        "—"
                      )}
                    </span>
                  </Td>
                  {canOperate ? (
                    appNamespaces.includes(a.namespace) ? (
                      <Td className="whitespace-nowrap">
                        <Button size="sm" variant="secondary" disabled={pending} onClick={() => refresh(a)}>
                          Refresh
                        </Button>{" "}
                        <Button size="sm" disabled={pending} onClick={() => openSync(a)}>
                          Sync
                        </Button>
                      </Td>
                    ) : (
                      <Td className="text-xs text-slate-600 dark:text-slate-400" data-testid="app-not-operable">
                        Not operated from the portal: namespace {a.namespace} is not in this cluster&apos;s Argo CD
                        application namespaces ({appNamespaces.join(", ")}).
                      </Td>
                    )
                  ) : null}
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      ) : null}
      <ConfirmDialog
        ref={dialog}
        testId="sync-dialog"
        title={`Sync ${target?.name ?? ""}`}
        confirmLabel="Synchronize"
        pending={pending}
        onConfirm={sync}
      >
        <label className="flex flex-col gap-1 text-sm">
          Revision
          <input
            className="rounded border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-950"
            value={revision}
            onChange={(e) => setRevision(e.target.value)}
          />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={prune}
            disabled={!canPrune}
            aria-describedby={canPrune ? undefined : "prune-reason"}
            onChange={(e) => setPrune(e.target.checked)}
          />{" "}
          Prune resources no longer in Git
        </label>
        {canPrune ? null : (
          <p id="prune-reason" className="text-xs text-slate-600 dark:text-slate-400" data-testid="prune-reason">
            Prune deletes resources and needs the {OPERATION_ROLES["argocd.sync.prune"]} role; you are {role}.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
