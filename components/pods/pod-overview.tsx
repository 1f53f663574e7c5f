import Link from "next/link";
import type { ContainerStateView, PodDetail } from "@/server/cluster/reads/pod-detail";
import { Card } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { age } from "@/lib/format";
import { containerAnchor } from "@/components/pods/pod-href";

// The pod's header, owner chain, conditions and containers, as `kubectl describe pod` tells them.

const tone = (status: string, ready: number, total: number) =>
  status === "Running" ? (ready === total ? "ok" : "degraded") : status === "Completed" ? "succeeded" : "down";

function State({ s }: { s: ContainerStateView }) {
  return (
    <span>
      <span className="font-medium">{s.state}</span>
      {s.reason ? <span>: {s.reason}</span> : null}
      {s.exitCode !== null ? (
        <span>
          {" "}
          (exit code {s.exitCode}
          {s.signal ? `, signal ${s.signal}` : ""})
        </span>
      ) : null}
      {s.startedAt && s.state === "Running" ? <span className="text-slate-500"> since {age(s.startedAt)}</span> : null}
      {s.finishedAt ? (
        <span className="text-slate-500" title={s.finishedAt}>
          {" "}
          {age(s.finishedAt)} ago
        </span>
      ) : null}
      {s.message ? <span className="block whitespace-pre-wrap break-words text-slate-500">{s.message}</span> : null}
    </span>
  );
}

/** Header line, owners and conditions. */
export function PodHeader({ pod, cluster }: { pod: PodDetail; cluster: string }) {
  return (
    <div className="flex flex-col gap-2">
      <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold">
        <span>
          <span className="text-slate-500">{pod.namespace}/</span>
          {pod.name}
        </span>
        <span data-testid="pod-status">
          <StatusBadge status={tone(pod.status, pod.ready, pod.total)} />{" "}
          <span className="text-sm font-normal">{pod.status}</span>
        </span>
      </h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Ready {pod.ready}/{pod.total} · {pod.restarts} restart{pod.restarts === 1 ? "" : "s"}
        {pod.lastRestartAt ? ` (last ${age(pod.lastRestartAt)} ago)` : ""} · node{" "}
        {pod.node ? (
          <Link
            className="text-sky-700 hover:underline dark:text-sky-400"
            href={`/c/${encodeURIComponent(cluster)}/nodes/${encodeURIComponent(pod.node)}`}
          >
            {pod.node}
          </Link>
        ) : (
          "none (not scheduled)"
        )}
        {pod.podIP ? ` · IP ${pod.podIP}` : ""}
        {pod.qosClass ? ` · QoS ${pod.qosClass}` : ""} · age {age(pod.createdAt)}
        {pod.deleting ? " · being deleted" : ""}
      </p>
      <nav aria-label="Owners" data-testid="owner-chain" className="flex flex-wrap items-center gap-1 text-sm">
        {pod.owners.length ? (
          pod.owners.map((o) => (
            <span key={`${o.kind}/${o.name}`} className="flex items-center gap-1">
              <span className="rounded bg-slate-100 px-1.5 py-0.5 dark:bg-slate-800" title={o.error}>
                <span className="text-xs text-slate-500">{o.kind}</span> {o.name}
                {o.error ? <span className="text-xs text-amber-700"> ({o.error})</span> : null}
              </span>
              <span aria-hidden>→</span>
            </span>
          ))
        ) : (
          <span className="text-slate-500">No owner (a bare pod) →</span>
        )}
        <span className="rounded bg-sky-50 px-1.5 py-0.5 dark:bg-sky-950">
          <span className="text-xs text-slate-500">Pod</span> {pod.name}
        </span>
      </nav>
    </div>
  );
}

/** The pod's conditions. */
export function PodConditions({ pod }: { pod: PodDetail }) {
  return (
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
        {pod.conditions.map((c) => (
          <tr key={c.type}>
            <Td className="text-xs">{c.type}</Td>
            <Td className="text-xs">{c.status}</Td>
            <Td className="text-xs">
              {c.reason}
              {c.message ? <span className="block text-slate-500">{c.message}</span> : null}
            </Td>
            <Td className="text-xs">{c.since ? `${age(c.since)} ago` : "—"}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** Every container in the order they run: init containers, native sidecars, then the app containers. */
export function ContainersTable({ pod }: { pod: PodDetail }) {
  return (
    <Card title={`Containers (${pod.containers.length})`}>
      <Table>
        <thead>
          <tr>
            <Th>Container</Th>
            <Th>State</Th>
            <Th>Last termination</Th>
            <Th>Restarts</Th>
            <Th>Probes</Th>
          </tr>
        </thead>
        <tbody>
          {pod.containers.map((c) => (
            <tr
              key={`${c.kind}/${c.name}`}
              id={containerAnchor(c.name)}
              data-testid="container-row"
              data-container={c.name}
              className="scroll-mt-20 target:bg-amber-100 dark:target:bg-amber-900/40"
            >
              <Td className="text-xs">
                <span className="font-medium">{c.name}</span>{" "}
                <span className="rounded bg-slate-100 px-1 text-[10px] uppercase text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                  {c.kind}
                </span>
                <span className="block break-all text-slate-500">{c.image}</span>
                {c.ports.length ? <span className="block text-slate-500">ports {c.ports.join(", ")}</span> : null}
                {Object.keys(c.limits).length ? (
                  <span className="block text-slate-500">
                    limits{" "}
                    {Object.entries(c.limits)
                      .map(([k, v]) => `${k} ${v}`)
                      .join(", ")}
                  </span>
                ) : null}
              </Td>
              <Td className="text-xs">
                <State s={c.state} />
                {c.kind !== "init" ? (
                  <span className="block text-slate-500">
                    {c.ready ? "ready" : "not ready"}
                    {c.started === false ? ", not started" : ""}
                  </span>
                ) : null}
              </Td>
              <Td className="text-xs">
                {c.lastTermination ? <State s={c.lastTermination} /> : <span className="text-slate-500">—</span>}
              </Td>
              <Td className="text-xs tabular-nums">{c.restarts}</Td>
              <Td className="text-xs">
                {c.probes.length ? (
                  c.probes.map((p) => (
                    <span key={p.kind} className="block">
                      <span className="font-medium">{p.kind}:</span> <code className="break-all">{p.text}</code>
                    </span>
                  ))
                ) : (
                  <span className="text-slate-500">none</span>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}
