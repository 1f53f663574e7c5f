import { Table, Td, Th } from "@/components/ui/table";
import type { WebhookRow } from "@/server/notify/list-deliveries";

// The configured webhooks; the URL shows only its scheme and host (the rest is a secret).
export function WebhooksTable({ rows }: { rows: WebhookRow[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Cluster</Th>
          <Th>Webhook</Th>
          <Th>Format</Th>
          <Th>Events</Th>
          <Th>URL</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((w) => (
          <tr key={`${w.cluster}/${w.name}`}>
            <Td>{w.cluster}</Td>
            <Td className="font-medium">{w.name}</Td>
            <Td>{w.format}</Td>
            <Td className="text-xs">{w.events}</Td>
            <Td className="font-mono text-xs">
              {w.masked} <span className="text-slate-500">from {w.source}</span>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
