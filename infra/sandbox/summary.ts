// A status summary of the cluster: what the CLI's `status` and `check` commands print.
import type { Ctx } from "./context";
import { PHASES } from "./types";

// Counts and problems, computed from the served objects so it tells what the API tells.
export function summary(ctx: Ctx) {
  const c = ctx.cluster;
  const nodes = c.store.all("nodes");
  const pods = c.store.all("pods");
  const notReady = nodes.filter((n) => !c.nodeReady(n)).map((n) => n.metadata.name);
  const badPods = pods.filter(
    (p) => !(p.status?.containerStatuses ?? []).every((s: any) => s.ready) || p.status?.phase !== "Running",
  );
  const apps = c.store.all("applications");
  const mon = pods.filter((p) => p.metadata.namespace === "monitoring");
  return {
    cluster: c.config.cluster,
    phasesDone: PHASES.filter((p) => c.phasesDone.has(p)),
    operation: ctx.lifecycle.current?.kind ?? null,
    instances: c.instances
      .filter((i) => i.state !== "terminated")
      .map((i) => ({ node: i.node, id: i.instanceId, state: i.state })),
    nodes: { total: nodes.length, ready: nodes.length - notReady.length, notReady },
    pods: {
      total: pods.length,
      running: pods.filter((p) => p.status?.phase === "Running").length,
      unhealthy: badPods.slice(0, 50).map((p) => `${p.metadata.namespace}/${p.metadata.name}: ${podReason(p)}`),
    },
    etcd: {
      healthy:
        !c.faults.some((f) => f.kind === "etcd-unhealthy") &&
        pods.some((p) => p.metadata.name === "etcd-master" && p.status?.containerStatuses?.[0]?.ready),
    },
    monitoring: { total: mon.length, ready: mon.filter((p) => p.status?.containerStatuses?.[0]?.ready).length },
    applications: apps.map((a) => ({
      name: a.metadata.name,
      sync: a.status?.sync?.status,
      health: a.status?.health?.status,
    })),
    queues: ctx.queues.kind,
    faults: c.faults.map((f) => ({ id: f.id, kind: f.kind, target: f.target, since: f.createdAt })),
  };
}

// The STATUS column kubectl would print for an unhealthy pod.
function podReason(p: any): string {
  const s = p.status?.containerStatuses?.[0];
  return (
    s?.state?.waiting?.reason ??
    s?.state?.terminated?.reason ??
    (p.spec?.nodeName ? (s && !s.ready ? "NotReady" : p.status?.phase) : "Pending (unscheduled)")
  );
}
