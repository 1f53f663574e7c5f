import Link from "next/link";
import type { Ec2Instance } from "@/server/cluster/sources/ec2";
import type { NodeInfo } from "@/server/cluster/sources/nodes";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Ago } from "@/components/ui/ago";
import { formatBytes, formatCpu } from "@/lib/format";

// Nodes with kubectl's STATUS (and the Ready reason beside it) and ROLES, their conditions, cordon, kubelet, age, allocatable and EC2 instance.
const PRESSURES = ["MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"];

export function NodesTable({
  cluster,
  nodes,
  instances,
  at,
  empty = "No node has joined.",
}: {
  cluster: string;
  nodes: NodeInfo[];
  instances: Ec2Instance[] | null;
  at: string;
  empty?: string;
}) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Node</Th>
          <Th>Status</Th>
          <Th>Roles</Th>
          <Th>Conditions</Th>
          <Th>Instance</Th>
          <Th>Kubelet</Th>
          <Th>Age</Th>
          <Th>Allocatable</Th>
        </tr>
      </thead>
      <tbody>
        {nodes.length === 0 ? (
          <tr data-testid="nodes-empty">
            <Td className="text-slate-600 dark:text-slate-400" colSpan={7}>
              {empty}
            </Td>
          </tr>
        ) : null}
        {nodes.map((n) => {
          const inst = instances?.find((i) => i.instanceId === n.instanceId);
          const bad = n.conditions.filter((c) => PRESSURES.includes(c.type) && c.status === "True").map((c) => c.type);
          return (
            <tr key={n.name} data-testid={`node-row-${n.name}`}>
              <Td>
                <Link
                  className="font-medium whitespace-nowrap text-sky-600 hover:underline"
                  href={`/c/${encodeURIComponent(cluster)}/nodes/${encodeURIComponent(n.name)}`}
                >
                  {n.name}
                </Link>
                {n.cordoned ? <span className="ml-2 text-xs text-amber-700">cordoned</span> : null}
              </Td>
              <Td>
                <StatusBadge status={n.ready === "True" ? "ok" : "down"} />{" "}
                <span className="text-xs">
                  {n.status}
                  {n.ready === "True"
                    ? ""
                    : ` (${n.conditions.findLast((c) => c.type === "Ready")?.reason ?? "no Ready condition"})`}
                </span>
              </Td>
              <Td className="text-xs">{n.roles.join(",") || "<none>"}</Td>
              <Td className="text-xs">{bad.length ? bad.join(", ") : "no pressure"}</Td>
              <Td className="text-xs">
                {inst ? `${inst.instanceId} · ${inst.type} · ${inst.state}` : (n.instanceId ?? "—")}
              </Td>
              <Td className="text-xs">{n.kubeletVersion ?? "—"}</Td>
              <Td className="text-xs">
                <Ago since={n.createdAt} at={at} />
              </Td>
              <Td className="text-xs whitespace-nowrap">
                {formatCpu(n.allocatable.cpu)} cpu · {formatBytes(n.allocatable.memory)} · {n.allocatable.pods ?? "?"}{" "}
                pods
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
