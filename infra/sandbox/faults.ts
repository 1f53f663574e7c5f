// Fault injection and heal: each fault changes the objects the portal reads, and heal puts them back.
import { randomBytes } from "node:crypto";
import { setAppStatus } from "./argocd";
import { faultHealed, faultInjected } from "./fault-events";
import { now, setPodState } from "./builders";
import type { Cluster } from "./cluster";
import type { QueueBackend } from "./queues";
import { QUEUES } from "./seed";
import { ApiError } from "./status";
import { FAULT_KINDS, type Fault, type FaultKind } from "./types";

// Where a fault lands: at most one of these, by kind.
export interface FaultTarget {
  node?: string;
  pod?: string;
  app?: string;
  queue?: string;
  instance?: string;
}

function bad(msg: string): ApiError {
  return new ApiError(400, msg);
}

// Checks the target exists and names it the way the fault list shows it.
function resolveTarget(c: Cluster, kind: FaultKind, t: FaultTarget, queuesUp: boolean): string {
  const nodes = () =>
    c.store
      .all("nodes")
      .map((n) => n.metadata.name)
      .join(", ") || "none (provision first)";
  if (kind === "node-notready" || kind === "instance-stopped") {
    const name = kind === "node-notready" ? t.node : (t.instance ?? t.node);
    if (!name) throw bad(`${kind} needs ${kind === "node-notready" ? "--node" : "--instance"} NODE`);
    if (kind === "node-notready" && !c.store.get("nodes", name))
      throw new ApiError(404, `unknown node "${name}"; nodes: ${nodes()}`);
    if (kind === "instance-stopped" && !c.instances.some((i) => i.node === name && i.state === "running"))
      throw new ApiError(
        404,
        `no running EC2 instance for node "${name}"; instances: ${
          c.instances
            .filter((i) => i.state === "running")
            .map((i) => i.node)
            .join(", ") || "none"
        }`,
      );
    return name;
  }
  if (kind.startsWith("pod-")) {
    if (!t.pod || !t.pod.includes("/")) throw bad(`${kind} needs --pod NAMESPACE/NAME`);
    const [ns, name] = t.pod.split("/") as [string, string];
    const pod = c.store.get("pods", name, ns);
    if (!pod) throw new ApiError(404, `unknown pod "${t.pod}"`);
    if (pod.status?.phase !== "Running") throw new ApiError(409, `pod "${t.pod}" is ${pod.status?.phase}, not Running`);
    return t.pod;
  }
  if (kind.startsWith("app-")) {
    if (!t.app) throw bad(`${kind} needs --app NAME`);
    if (!c.store.get("applications", t.app, "argocd"))
      throw new ApiError(
        404,
        `unknown Argo CD application "${t.app}"; applications: ${
          c.store
            .all("applications")
            .map((a) => a.metadata.name)
            .join(", ") || "none"
        }`,
      );
    return t.app;
  }
  if (kind === "etcd-unhealthy") {
    if (!c.store.get("pods", "etcd-master", "kube-system"))
      throw new ApiError(409, "etcd is not running; provision the kubernetes phase first");
    return "etcd-master";
  }
  if (!queuesUp) throw new ApiError(409, "the queues do not exist; provision the messaging phase first");
  if (kind === "consumers-gone") return "all";
  const q = t.queue ?? "q.ai";
  if (!QUEUES.includes(q as (typeof QUEUES)[number]) || q === "q.dlq")
    throw new ApiError(404, `unknown work queue "${q}"; queues: q.ai, q.batch, q.api, q.sched`);
  return q;
}

function podRef(target: string): [string, string] {
  return target.split("/") as [string, string];
}

// Injects a fault and records it; refuses unknown kinds, unknown targets and duplicates.
export async function injectFault(c: Cluster, queues: QueueBackend, kind: string, t: FaultTarget): Promise<Fault> {
  if (!FAULT_KINDS.includes(kind as FaultKind))
    throw bad(`unknown fault kind "${kind}"; kinds: ${FAULT_KINDS.join(", ")}`);
  const k = kind as FaultKind;
  const target = resolveTarget(c, k, t, queues.declared());
  if (c.faults.some((f) => f.kind === k && f.target === target))
    throw new ApiError(409, `fault ${k} on ${target} is already active`);
  const fault: Fault = { id: `${k}-${randomBytes(3).toString("hex")}`, kind: k, target, createdAt: now() };
  c.faults.push(fault);
  switch (k) {
    case "node-notready": {
      c.setNodeReady(target, "Unknown");
      for (const p of c.podsOnNode(target))
        c.store.update("pods", p.metadata.name, p.metadata.namespace, (x) => {
          for (const cond of x.status.conditions ?? [])
            if (cond.type === "Ready" || cond.type === "ContainersReady")
              Object.assign(cond, { status: "False", lastTransitionTime: now() });
        });
      break;
    }
    case "pod-crashloop":
    case "pod-imagepull":
    case "pod-oomkilled": {
      const [ns, name] = podRef(target);
      c.store.update("pods", name, ns, (p) => breakPod(p, k));
      faultInjected(c, k, target);
      break;
    }
    case "etcd-unhealthy": {
      c.store.update("pods", "etcd-master", "kube-system", (p) => setReady(p, false));
      faultInjected(c, k, target);
      break;
    }
    case "app-outofsync":
    case "app-degraded": {
      const message = k === "app-degraded" ? `Deployment "${target}" exceeded its progress deadline` : undefined;
      fault.saved = { message };
      const cur = c.store.get("applications", target, "argocd")!;
      const before = { sync: cur.status.sync.status, health: cur.status.health.status };
      c.store.update("applications", target, "argocd", (a) =>
        k === "app-outofsync"
          ? setAppStatus(a, "OutOfSync", a.status.health.status)
          : setAppStatus(a, a.status.sync.status, "Degraded", message),
      );
      faultInjected(c, k, target, before);
      break;
    }
    case "instance-stopped": {
      const inst = c.instances.find((i) => i.node === target && i.state === "running")!;
      c.setInstanceState(inst, "stopped");
      if (c.store.get("nodes", target)) c.setNodeReady(target, "Unknown");
      break;
    }
    default:
      await queues.faultStarted(k, target);
  }
  c.save();
  return fault;
}

function setReady(p: any, ready: boolean): void {
  for (const cond of p.status.conditions ?? [])
    if (cond.type === "Ready" || cond.type === "ContainersReady")
      Object.assign(cond, { status: ready ? "True" : "False", lastTransitionTime: now() });
  const cs = p.status.containerStatuses?.[0];
  if (cs) cs.ready = ready;
}

// The container states kubelet reports for each pod fault.
function breakPod(p: any, k: FaultKind): void {
  const cs = p.status.containerStatuses[0];
  const t = now();
  setReady(p, false);
  const started = cs.state.running?.startedAt ?? t;
  if (k === "pod-crashloop") {
    cs.restartCount += 5;
    cs.lastState = {
      terminated: { exitCode: 1, reason: "Error", startedAt: started, finishedAt: t, containerID: cs.containerID },
    };
    cs.state = {
      waiting: {
        reason: "CrashLoopBackOff",
        message: `back-off 2m40s restarting failed container=${cs.name} pod=${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})`,
      },
    };
  } else if (k === "pod-oomkilled") {
    cs.restartCount += 1;
    cs.lastState = {
      terminated: {
        exitCode: 137,
        reason: "OOMKilled",
        startedAt: started,
        finishedAt: t,
        containerID: cs.containerID,
      },
    };
    cs.state = {
      terminated: {
        exitCode: 137,
        reason: "OOMKilled",
        startedAt: started,
        finishedAt: t,
        containerID: cs.containerID,
      },
    };
  } else {
    p.status.phase = "Pending";
    cs.state = { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${cs.image}"` } };
    cs.started = false;
  }
  cs.started = false;
}

// Heals one fault by id, or all; returns the faults healed.
export async function healFaults(c: Cluster, queues: QueueBackend, id?: string): Promise<Fault[]> {
  const list = id ? c.faults.filter((f) => f.id === id) : [...c.faults];
  if (id && !list.length)
    throw new ApiError(
      404,
      `no active fault with id "${id}"; active: ${c.faults.map((f) => f.id).join(", ") || "none"}`,
    );
  for (const f of list) {
    c.faults = c.faults.filter((x) => x !== f);
    await healOne(c, queues, f);
  }
  c.save();
  return list;
}

async function healOne(c: Cluster, queues: QueueBackend, f: Fault): Promise<void> {
  switch (f.kind) {
    case "node-notready":
      if (!c.store.get("nodes", f.target)) return;
      c.setNodeReady(f.target, "Ready");
      for (const p of c.podsOnNode(f.target))
        if (p.status?.phase === "Running")
          c.store.update("pods", p.metadata.name, p.metadata.namespace, (x) => setReady(x, true));
      return;
    case "pod-crashloop":
    case "pod-imagepull":
    case "pod-oomkilled": {
      const [ns, name] = podRef(f.target);
      c.store.update("pods", name, ns, (p) => {
        // An OOM kill is healed the way a team heals it: a rollout with a higher memory limit, which replaces the
        // pod, so no OOMKilled lastState and no restarts remain (the sandbox keeps the pod's name). Other crashes
        // heal in place: the crashed instance stays as lastState, which `kubectl logs --previous` reads.
        if (f.kind === "pod-oomkilled") return void setPodState(p, "Running", 0, p.status.podIP ?? "192.168.250.1");
        const last = p.status.containerStatuses?.[0]?.lastState;
        setPodState(
          p,
          "Running",
          p.status.containerStatuses?.[0]?.restartCount ?? 0,
          p.status.podIP ?? "192.168.250.1",
        );
        if (last?.terminated) p.status.containerStatuses[0].lastState = last;
      });
      faultHealed(c, f.kind, f.target);
      return;
    }
    case "etcd-unhealthy":
      c.store.update("pods", "etcd-master", "kube-system", (p) => setReady(p, true));
      return;
    case "app-outofsync":
    case "app-degraded": {
      const cur = c.store.get("applications", f.target, "argocd");
      if (!cur) return;
      const before = { sync: cur.status.sync.status, health: cur.status.health.status };
      c.store.update("applications", f.target, "argocd", (a) =>
        f.kind === "app-outofsync"
          ? setAppStatus(a, "Synced", a.status.health.status)
          : setAppStatus(a, a.status.sync.status, "Healthy"),
      );
      faultHealed(c, f.kind, f.target, before);
      return;
    }
    case "instance-stopped": {
      const inst = c.instances.find((i) => i.node === f.target && i.state === "stopped");
      if (inst) c.setInstanceState(inst, "running");
      faultHealed(c, f.kind, f.target);
      if (c.store.get("nodes", f.target)) c.setNodeReady(f.target, "Ready");
      return;
    }
    default:
      await queues.faultHealed(f.kind, f.target);
  }
}
