"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import type { NodeView } from "@/server/cluster/health/health-views";
import { startRunAction } from "@/server/actions/run-actions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Ago } from "@/components/ui/ago";
import { ReasonField, reasonFits } from "@/components/runs/reason-field";
import { humanFieldError } from "@/components/ui/human-errors";
import { formatBytes, formatCpu } from "@/lib/format";
import { LiveStatus } from "@/components/health/live-status";
import { PodsTable } from "@/components/health/pods-table";
import { ProblemList } from "@/components/health/problem-list";
import { SourceError, SourceErrors } from "@/components/health/source-errors";
import { NotProvisioned } from "@/components/health/not-provisioned";
import { useHealthQuery } from "@/components/health/use-health-query";
import { usePodFilter } from "@/components/health/use-pod-filter";
import { EventsCard } from "@/components/pods/events-table";

// One node, live: conditions, instance, pods, the Session Manager command, and Reset node for admins.
const GOOD: Record<string, string> = {
  Ready: "True",
  MemoryPressure: "False",
  DiskPressure: "False",
  PIDPressure: "False",
  NetworkUnavailable: "False",
};

export function NodeLive({
  cluster,
  name,
  initial,
  initialAt,
  isAdmin,
  resettable,
  sandbox,
}: {
  cluster: string;
  name: string;
  initial: NodeView;
  initialAt: number;
  isAdmin: boolean;
  resettable: boolean;
  sandbox: boolean;
}) {
  const [filter, setFilter, url, filtered] = usePodFilter(
    `/api/clusters/${encodeURIComponent(cluster)}/health/nodes/${encodeURIComponent(name)}`,
  );
  const q = useHealthQuery<NodeView>(url, filtered ? undefined : initial, filtered ? undefined : initialAt);
  const v = q.data ?? initial;
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [pending, start] = useTransition();
  const instanceId = v.instance?.instanceId ?? v.node?.instanceId ?? null;
  // Sandbox instances are simulated: there is no Session Manager to open a shell through.
  const ssm =
    instanceId && !sandbox
      ? `aws ssm start-session --target ${instanceId} --region ${v.region ?? "ap-northeast-2"}`
      : null;

  const reset = () =>
    start(async () => {
      const r = await startRunAction({ cluster, pipeline: "reset-node", node: name, reason, confirm: typed });
      if (r.ok) router.push(`/runs/${(r.data as { runId: string }).runId}`);
      else setError(r.errors ? Object.values(r.errors).flat().map(humanFieldError).join(" ") || r.message : r.message);
    });

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="flex items-center gap-2 text-xl font-semibold">
          Node {name} {v.node ? <StatusBadge status={v.node.ready === "True" ? "ok" : "down"} /> : null}
        </h1>
        <LiveStatus
          reading={v}
          fetchedAt={q.dataUpdatedAt || initialAt}
          fetching={q.isFetching}
          error={q.error?.message ?? null}
        />
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Tier {v.tiers.join(", ") || "—"} · {v.node?.kubeletVersion ?? "kubelet ?"} · {v.node?.internalIp ?? ""} · age{" "}
        <Ago since={v.node?.createdAt} at={v.at} />
        {v.node ? (
          <>
            {" "}
            · allocatable{" "}
            <span data-testid="node-allocatable">
              {formatCpu(v.node.allocatable.cpu)} cpu, {formatBytes(v.node.allocatable.memory)},{" "}
              {v.node.allocatable.pods ?? "?"} pods
            </span>
          </>
        ) : null}
        {v.instance ? (
          <>
            {" "}
            · {v.instance.instanceId} ({v.instance.type}, {v.instance.zone}, {v.instance.state}, launched{" "}
            <Ago since={v.instance.launchTime} at={v.at} suffix=" ago" />)
          </>
        ) : null}
      </p>
      {v.provisioned === false ? (
        <NotProvisioned cluster={cluster} />
      ) : (
        <SourceErrors sources={v.sources} only={["nodes", "pods", "ec2"]} />
      )}
      <Card title="Problems">
        <ProblemList problems={v.problems} empty="Nothing wrong on this node." cluster={cluster} />
      </Card>
      <Card title="Conditions">
        {v.node ? (
          <Table>
            <thead>
              <tr>
                <Th>Condition</Th>
                <Th>Status</Th>
                <Th>Reason</Th>
                <Th>Since</Th>
              </tr>
            </thead>
            <tbody>
              {v.node.conditions.map((c) => (
                <tr key={c.type} data-testid={`condition-${c.type}`}>
                  <Td>{c.type}</Td>
                  <Td>
                    <StatusBadge status={GOOD[c.type] === c.status ? "ok" : "down"} />{" "}
                    <span className="text-xs">{c.status}</span>
                  </Td>
                  <Td className="text-xs">
                    {c.reason}
                    {c.message ? <span className="block text-slate-500">{c.message}</span> : null}
                  </Td>
                  <Td className="text-xs">
                    <Ago since={c.since} at={v.at} suffix=" ago" />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <p className="text-sm">No Kubernetes node with this name is registered.</p>
        )}
      </Card>
      <EventsCard cluster={cluster} scope={{ node: name }} />
      <Card title="Shell on this node (Session Manager)">
        {ssm ? (
          <div className="flex flex-wrap items-center gap-2">
            <code className="rounded bg-slate-100 px-2 py-1 text-xs dark:bg-slate-800" data-testid="ssm-command">
              {ssm}
            </code>
            <Button
              size="sm"
              variant="secondary"
              onClick={() =>
                void navigator.clipboard.writeText(ssm).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
        ) : (
          <p className="text-sm" data-testid="ssm-none">
            {sandbox
              ? "This is a sandbox node: its instance is simulated, so there is no Session Manager shell. `npm run sandbox -- status` shows its state."
              : "No EC2 instance is known for this node, so there is nothing to open a session on."}
          </p>
        )}
      </Card>
      <Card title="Pods on this node">
        {v.pods ? (
          <PodsTable page={v.pods} filter={filter} onFilter={setFilter} at={v.at} />
        ) : (
          <SourceError
            source="pods"
            error={v.sources.pods.error ?? undefined}
            className="text-sm text-amber-800 dark:text-amber-300"
          />
        )}
      </Card>
      {isAdmin && resettable ? (
        <Card title="Reset node">
          <p className="mb-2 text-sm">
            Drains the node, runs kubeadm reset and rejoins it. Its pods are rescheduled meanwhile.
          </p>
          <Button variant="danger" onClick={() => dialog.current?.showModal()}>
            Reset node…
          </Button>
        </Card>
      ) : null}
      <ConfirmDialog
        ref={dialog}
        testId="reset-dialog"
        title={`Reset node ${name}`}
        confirmLabel={`Reset ${name}`}
        danger
        pending={pending}
        canConfirm={typed === cluster && reasonFits(reason)}
        error={error}
        onConfirm={reset}
      >
        <ReasonField label="Why" value={reason} onChange={setReason} />
        <Field
          label={`Type the cluster name (${cluster}) to confirm`}
          name="confirm"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
        />
      </ConfirmDialog>
    </div>
  );
}
