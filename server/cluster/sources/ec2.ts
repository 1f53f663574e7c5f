import "server-only";
import fs from "node:fs";
import https from "node:https";
import { DescribeInstancesCommand, EC2Client, type Instance } from "@aws-sdk/client-ec2";
import type { Connection } from "@/server/cluster/kube/connection";
import type { NodeInfo } from "@/server/cluster/sources/nodes";
import type { Problem } from "@/server/cluster/health/types";

// EC2: the cluster's instances (by the tags Terraform sets) and how they line up with the nodes.

export type Ec2Instance = {
  instanceId: string;
  name: string | null;
  node: string | null;
  role: string | null;
  tier: string | null;
  state: string;
  stateReason: string | null;
  type: string | null;
  zone: string | null;
  privateIp: string | null;
  publicIp: string | null;
  launchTime: string | null;
};

/** Maps an SDK Instance (or its recorded JSON) to the portal's shape. */
export function toEc2Instance(i: Instance): Ec2Instance {
  const tag = (k: string) => i.Tags?.find((t) => t.Key === k)?.Value ?? null;
  const lt = i.LaunchTime as Date | string | undefined;
  return {
    instanceId: i.InstanceId ?? "?",
    name: tag("Name"),
    node: tag("Node"),
    role: tag("Role"),
    tier: tag("Tier"),
    state: i.State?.Name ?? "unknown",
    stateReason: i.StateReason?.Message ?? null,
    type: i.InstanceType ?? null,
    zone: i.Placement?.AvailabilityZone ?? null,
    privateIp: i.PrivateIpAddress ?? null,
    publicIp: i.PublicIpAddress ?? null,
    launchTime: lt ? new Date(lt).toISOString() : null,
  };
}

/** Instances vs nodes, matched by the node's providerID `aws:///<zone>/<instance-id>`. */
export function ec2Problems(instances: Ec2Instance[], nodes: NodeInfo[] | null): Problem[] {
  const out: Problem[] = [];
  const live = instances.filter((i) => i.state !== "terminated");
  // By id: 500 nodes against 500 instances was 250,000 comparisons each way per reading.
  const nodeIds = new Set((nodes ?? []).map((n) => n.instanceId));
  const liveIds = new Set(live.map((i) => i.instanceId));
  for (const i of live) {
    const label = `${i.instanceId}${i.node ? ` (${i.node})` : ""}`;
    if (i.state !== "running") {
      out.push({
        type: "instance-not-running",
        severity: i.state === "pending" ? "warning" : "critical",
        source: "ec2",
        node: i.node ?? undefined,
        message: `EC2 instance ${label} is ${i.state}${i.stateReason ? `: ${i.stateReason}` : ""}`,
        hint:
          i.state === "stopped"
            ? "Start it (aws ec2 start-instances) or rebuild the node; its pods cannot run meanwhile."
            : "Wait for the state change to finish, then look again.",
      });
      continue;
    }
    if (nodes && !nodeIds.has(i.instanceId))
      out.push({
        type: "instance-without-node",
        severity: "warning",
        source: "ec2",
        node: i.node ?? undefined,
        message: `EC2 instance ${label} is running but no Kubernetes node has its ID`,
        hint: "The kubelet did not join: check kubeadm join on that instance (Session Manager), or reset the node.",
      });
  }
  for (const n of nodes ?? []) {
    if (!n.instanceId) {
      out.push({
        type: "node-without-provider-id",
        severity: "info",
        source: "ec2",
        node: n.name,
        message: `Node ${n.name} has no AWS providerID, so it cannot be matched to an instance`,
        hint: "kubeadm nodes get a providerID from the cloud provider or kubelet --provider-id.",
      });
    } else if (!liveIds.has(n.instanceId)) {
      out.push({
        type: "node-without-instance",
        severity: "critical",
        source: "ec2",
        node: n.name,
        message: `Node ${n.name} has no EC2 instance (${n.instanceId} is gone)`,
        hint: "The instance was terminated: delete the node object and rebuild it.",
      });
    }
  }
  return out;
}

const clients = new Map<string, EC2Client>();

function clientFor(c: Connection["ec2"]): EC2Client {
  const key = JSON.stringify(c);
  let client = clients.get(key);
  if (!client) {
    // A sandbox serves EC2 over HTTPS from its cluster CA, as AWS serves it from a public one: trust that CA only for it.
    const requestHandler = c.caFile
      ? {
          requestHandler: {
            httpsAgent: new https.Agent({ keepAlive: true, timeout: 30_000, ca: fs.readFileSync(c.caFile) }),
          },
        }
      : {};
    client = new EC2Client({
      region: c.region,
      ...(c.endpoint ? { endpoint: c.endpoint } : {}),
      ...(c.credentials ? { credentials: c.credentials } : {}),
      ...requestHandler,
      maxAttempts: 1,
    });
    clients.set(key, client);
  }
  return client;
}

/** DescribeInstances filtered by tag:Cluster, following NextToken. */
export async function listInstances(conn: Connection, signal: AbortSignal): Promise<Ec2Instance[]> {
  const client = clientFor(conn.ec2);
  const out: Ec2Instance[] = [];
  let next: string | undefined;
  do {
    const res = await client.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: "tag:Cluster", Values: [conn.cluster] }],
        MaxResults: 1000,
        NextToken: next,
      }),
      { abortSignal: signal },
    );
    for (const r of res.Reservations ?? []) for (const i of r.Instances ?? []) out.push(toEc2Instance(i));
    next = res.NextToken;
  } while (next);
  return out.sort((a, b) => (a.node ?? a.instanceId).localeCompare(b.node ?? b.instanceId));
}
