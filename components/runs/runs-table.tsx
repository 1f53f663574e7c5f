import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { formatDuration } from "@/lib/format";
import { formatClockUtc, formatUtc } from "@/components/ui/time";
import { UserText } from "@/components/ui/user-text";

// Runs as a table: pipeline, status, who, why, when, how long.
type Row = {
  id: string;
  pipeline: string;
  status: string;
  requestedBy: string;
  reason: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  cluster?: string;
};

export function RunsTable({ runs, showCluster = false }: { runs: Row[]; showCluster?: boolean }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Run</Th>
          {showCluster ? <Th>Cluster</Th> : null}
          <Th>Status</Th>
          <Th>Requested by</Th>
          <Th>Reason</Th>
          <Th>Created</Th>
          <Th>Duration</Th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id}>
            <Td>
              <Link className="font-medium text-sky-700 hover:underline dark:text-sky-400" href={`/runs/${r.id}`}>
                {r.pipeline}
              </Link>
            </Td>
            {showCluster ? <Td>{r.cluster}</Td> : null}
            <Td>
              <StatusBadge status={r.status} />
            </Td>
            <Td>{r.requestedBy}</Td>
            <Td className="max-w-xs truncate">
              <UserText text={r.reason} />
            </Td>
            <Td>
              <time dateTime={r.createdAt.toISOString()}>{formatUtc(r.createdAt)}</time>
            </Td>
            {/* A list is drawn once: an unfinished run says since when, rather than a duration that would not move. */}
            <Td className="whitespace-nowrap">
              {r.startedAt
                ? r.finishedAt
                  ? formatDuration(r.finishedAt.getTime() - r.startedAt.getTime())
                  : `running since ${formatClockUtc(r.startedAt)}`
                : "—"}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
