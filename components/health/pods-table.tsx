"use client";

import { useMemo, useState } from "react";
import type { PodInfo } from "@/server/cluster/pods";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { age } from "@/components/health/format";

// Pods with filters (namespace, status, text). Filters and scroll live here, so a refresh keeps them.
const MAX_ROWS = 500;
const OK = new Set(["Running", "Completed", "Succeeded"]);

function tone(p: PodInfo): string {
  if (p.status === "Completed" || p.status === "Succeeded") return "succeeded";
  return p.status === "Running" && p.ready === p.total && p.podReady ? "ok" : OK.has(p.status) ? "degraded" : "down";
}

export function PodsTable({ pods }: { pods: PodInfo[] }) {
  const [ns, setNs] = useState("");
  const [status, setStatus] = useState("");
  const [text, setText] = useState("");
  const namespaces = useMemo(() => [...new Set(pods.map((p) => p.namespace))].sort(), [pods]);
  const statuses = useMemo(() => [...new Set(pods.map((p) => p.status))].sort(), [pods]);
  const shown = useMemo(() => {
    const t = text.trim().toLowerCase();
    return pods.filter(
      (p) =>
        (!ns || p.namespace === ns) &&
        (!status || (status === "__problems" ? tone(p) !== "ok" && tone(p) !== "succeeded" : p.status === status)) &&
        (!t || p.name.toLowerCase().includes(t) || p.workload.toLowerCase().includes(t) || (p.node ?? "").includes(t)),
    );
  }, [pods, ns, status, text]);
  const input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950";
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2" role="group" aria-label="Pod filters">
        <select aria-label="Namespace" className={input} value={ns} onChange={(e) => setNs(e.target.value)}>
          <option value="">All namespaces</option>
          {namespaces.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
        <select aria-label="Status" className={input} value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All statuses</option>
          <option value="__problems">Problems only</option>
          {statuses.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <input aria-label="Search pods" placeholder="name, workload or node" className={input} value={text} onChange={(e) => setText(e.target.value)} />
        <span className="self-center text-xs text-slate-500" data-testid="pod-count">{shown.length} of {pods.length} pods</span>
      </div>
      <div className="max-h-[32rem] overflow-auto" data-testid="pods-scroll">
        <Table>
          <thead className="sticky top-0 bg-white dark:bg-slate-900">
            <tr><Th>Pod</Th><Th>Status</Th><Th>Ready</Th><Th>Restarts</Th><Th>Node</Th><Th>Age</Th></tr>
          </thead>
          <tbody>
            {shown.slice(0, MAX_ROWS).map((p) => (
              <tr key={`${p.namespace}/${p.name}`} data-testid="pod-row">
                <Td><span className="text-xs text-slate-500">{p.namespace}/</span>{p.name}</Td>
                <Td><StatusBadge status={tone(p)} /> <span className="text-xs">{p.status}</span>{p.pending ? <span className="block text-xs text-slate-500">{p.pending}</span> : null}</Td>
                <Td className="text-xs">{p.ready}/{p.total}{p.podReady || p.status !== "Running" ? "" : " (pod not ready)"}</Td>
                <Td className="text-xs">{p.restarts}{p.lastTermination ? ` (last: ${p.lastTermination}, ${age(p.lastRestartAt)} ago)` : ""}</Td>
                <Td className="text-xs">{p.node ?? "—"}</Td>
                <Td className="text-xs">{age(p.createdAt)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
        {shown.length > MAX_ROWS ? <p className="p-2 text-xs text-slate-500">Showing the first {MAX_ROWS}; narrow the filters to see the rest.</p> : null}
      </div>
    </div>
  );
}
