import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { Table, Td, Th } from "@/components/ui/table";
import type { DeliveryRow } from "@/server/notify/list-deliveries";
import { formatUtc } from "@/components/ui/time";

const tone: Record<string, string> = {
  delivered: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  failed: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  pending: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-300",
};

// The delivery log: one row per event and webhook, with the receiver's last answer and the attempts.
export function DeliveriesTable({ rows }: { rows: DeliveryRow[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Time (UTC)</Th>
          <Th>Cluster</Th>
          <Th>Event</Th>
          <Th>Webhook</Th>
          <Th>Status</Th>
          <Th>Code</Th>
          <Th>Attempts</Th>
          <Th>Last error / next attempt</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.id} data-testid="delivery-row">
            <Td className="whitespace-nowrap font-mono text-xs">{formatUtc(d.at)}</Td>
            <Td>{d.cluster}</Td>
            <Td className="whitespace-nowrap">
              {d.runId ? (
                <Link className="underline-offset-2 hover:underline" href={`/runs/${d.runId}`}>
                  {d.event}
                </Link>
              ) : (
                d.event
              )}
            </Td>
            <Td>{d.webhook}</Td>
            <Td>
              <span className={cn("inline-flex rounded-full px-2 py-0.5 text-xs font-medium", tone[d.status])}>
                {d.status}
              </span>
            </Td>
            <Td className="font-mono">{d.statusCode ?? "—"}</Td>
            <Td>{d.attempts}</Td>
            <Td className="max-w-md text-xs text-slate-600 dark:text-slate-400">
              {d.error ?? ""}
              {d.nextAttemptAt ? <span className="block">next attempt {d.nextAttemptAt.slice(11, 19)} UTC</span> : null}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
