import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { formatUtc } from "@/components/ui/time";
import { auditRunId, repeatOf } from "@/components/audit/audit-row";

// The audit log as a table: run ids link to their run; a refusal repeated from one source shows its count.
type Event = {
  id: bigint;
  time: Date;
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  detail: unknown;
};

export function AuditTable({ events }: { events: Event[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Time (UTC)</Th>
          <Th>Actor</Th>
          <Th>Action</Th>
          <Th>Target</Th>
          <Th>Outcome</Th>
          <Th>Detail</Th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => {
          const runId = auditRunId(e);
          const repeat = repeatOf(e.detail);
          const { count: _c, lastAt: _l, ...rest } = (e.detail ?? {}) as Record<string, unknown>;
          return (
            <tr key={String(e.id)} data-testid="audit-row">
              <Td className="whitespace-nowrap">
                <time dateTime={e.time.toISOString()}>{formatUtc(e.time).replace(" UTC", "")}</time>
              </Td>
              <Td className="break-all">{e.actor}</Td>
              <Td className="whitespace-nowrap">{e.action}</Td>
              <Td className="break-all">
                {runId && e.target === runId ? (
                  <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/runs/${runId}`}>
                    {e.target}
                  </Link>
                ) : (
                  (e.target ?? "—")
                )}
                {runId && e.target !== runId ? (
                  <Link
                    className="block text-xs text-sky-700 hover:underline dark:text-sky-400"
                    href={`/runs/${runId}`}
                  >
                    run {runId}
                  </Link>
                ) : null}
              </Td>
              <Td className="whitespace-nowrap">
                <StatusBadge status={e.outcome} />
                {repeat ? (
                  <span
                    className="ml-1 text-xs font-semibold text-amber-800 dark:text-amber-300"
                    data-testid="audit-repeat"
                    title={`The same refusal ${repeat.count} times, the last at ${formatUtc(repeat.lastAt)}`}
                  >
                    ×{repeat.count}
                  </span>
                ) : null}
              </Td>
              <Td className="max-w-sm font-mono text-xs break-words">
                {Object.keys(rest).length ? JSON.stringify(rest) : ""}
                {repeat ? (
                  <span className="block font-sans text-slate-500">last at {formatUtc(repeat.lastAt)}</span>
                ) : null}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
