import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { NotAllowed } from "@/components/ui/not-allowed";
import { Table, Td, Th } from "@/components/ui/table";
import { StatusBadge } from "@/components/ui/status-badge";
import { currentUser } from "@/server/auth/current-user";
import { hasRole } from "@/server/auth/roles";
import { listAuditEvents } from "@/server/audit/list-audit-events";

export const metadata: Metadata = { title: "Audit" };

// Admins read every change of state and every refusal, newest first.
export default async function AuditPage() {
  const user = await currentUser();
  if (!user || !hasRole(user.role, "admin")) return <NotAllowed need="admin" role={user?.role ?? "none"} />;
  const events = await listAuditEvents();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Audit</h1>
      <Card>
        <Table>
          <thead>
            <tr>
              <Th>Time</Th>
              <Th>Actor</Th>
              <Th>Action</Th>
              <Th>Target</Th>
              <Th>Outcome</Th>
              <Th>Detail</Th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={String(e.id)}>
                <Td className="whitespace-nowrap">{e.time.toISOString().replace("T", " ").slice(0, 19)}</Td>
                <Td>{e.actor}</Td>
                <Td>{e.action}</Td>
                <Td>{e.target ?? "—"}</Td>
                <Td>
                  <StatusBadge status={e.outcome} />
                </Td>
                <Td className="max-w-sm truncate font-mono text-xs">{e.detail ? JSON.stringify(e.detail) : ""}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
