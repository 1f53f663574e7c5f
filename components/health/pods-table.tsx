"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import type { PodFilter, PodPage } from "@/server/cluster/health/health-views";
import { podHref } from "@/components/pods/pod-href";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Ago } from "@/components/ui/ago";

// Pods with filters (namespace, status, text). The server filters (a tier can hold 15,000 pods) and
// sends the first page; the filters and the scroll live in the page, so a refresh keeps them.
/** `at`: when the reading was taken (ages count to it until the browser clock runs). */
export function PodsTable({
  page,
  filter,
  onFilter,
  at,
}: {
  page: PodPage;
  filter: PodFilter;
  onFilter: (f: PodFilter) => void;
  at: string;
}) {
  // The page's cluster, for the pod links (this table only shows on /c/<cluster>/... pages).
  const cluster = useParams<{ cluster?: string }>()?.cluster;
  const input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950";
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2" role="group" aria-label="Pod filters">
        <select
          aria-label="Namespace"
          className={input}
          value={filter.namespace ?? ""}
          onChange={(e) => onFilter({ ...filter, namespace: e.target.value || undefined })}
        >
          <option value="">All namespaces</option>
          {page.namespaces.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <select
          aria-label="Status"
          className={input}
          value={filter.status ?? ""}
          onChange={(e) => onFilter({ ...filter, status: e.target.value || undefined })}
        >
          <option value="">All statuses</option>
          <option value="problems">Problems only</option>
          {page.statuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <input
          aria-label="Search pods"
          placeholder="name, workload or node"
          maxLength={100}
          className={input}
          value={filter.text ?? ""}
          onChange={(e) => onFilter({ ...filter, text: e.target.value })}
        />
        <span className="self-center text-xs text-slate-500" data-testid="pod-count">
          {page.matched} of {page.total} pods
        </span>
      </div>
      <div className="max-h-[32rem] overflow-auto" data-testid="pods-scroll">
        <Table>
          <thead className="sticky top-0 bg-white dark:bg-slate-900">
            <tr>
              <Th>Pod</Th>
              <Th>Status</Th>
              <Th>Ready</Th>
              <Th>Restarts</Th>
              <Th>Node</Th>
              <Th>Age</Th>
            </tr>
          </thead>
          <tbody>
            {page.rows.length === 0 ? (
              <tr data-testid="pods-empty">
                <Td className="text-slate-600 dark:text-slate-400" colSpan={6}>
                  {page.total === 0 ? "No pods here yet." : "No pod matches these filters. Loosen or clear them."}
                </Td>
              </tr>
            ) : null}
            {page.rows.map((p) => (
              <tr key={`${p.namespace}/${p.name}`} data-testid="pod-row">
                <Td className="break-all">
                  {cluster ? (
                    <Link href={podHref(decodeURIComponent(cluster), p.namespace, p.name)} className="hover:underline">
                      <span className="text-xs text-slate-500">{p.namespace}/</span>
                      {p.name}
                    </Link>
                  ) : (
                    <>
                      <span className="text-xs text-slate-500">{p.namespace}/</span>
                      {p.name}
                    </>
                  )}
                </Td>
                <Td>
                  <StatusBadge status={p.tone} /> <span className="text-xs">{p.status}</span>
                  {p.pending ? <span className="block text-xs text-slate-500">{p.pending}</span> : null}
                </Td>
                <Td className="text-xs">
                  {p.ready}/{p.total}
                  {p.podReady || p.status !== "Running" ? "" : " (pod not ready)"}
                </Td>
                <Td className="text-xs">
                  {p.restarts}
                  {p.lastTermination ? (
                    <>
                      {" "}
                      (last: {p.lastTermination}
                      {p.lastRestartContainer ? ` in ${p.lastRestartContainer}` : ""},{" "}
                      <Ago since={p.lastRestartAt} at={at} suffix=" ago" />)
                    </>
                  ) : null}
                </Td>
                <Td className="text-xs whitespace-nowrap">{p.node ?? "—"}</Td>
                <Td className="text-xs">
                  <Ago since={p.createdAt} at={at} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
        {page.matched > page.rows.length ? (
          <p className="p-2 text-xs text-slate-500">
            Showing the first {page.rows.length}; narrow the filters to see the rest.
          </p>
        ) : null}
      </div>
    </div>
  );
}
