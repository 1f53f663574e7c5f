// Teardown and reset-node: the reverse walk, and a kubeadm-reset of one node.
import { buildPod, setPodState } from "./builders";
import type { Lifecycle, Operation } from "./lifecycle";
import { controllerCreated, podKilled, podScheduled, podStarting } from "./pod-events";
import { NAMESPACES } from "./seed";
import { ApiError, notFound } from "./status";
import type { K8sObject } from "./types";
import { PHASES, type Phase } from "./types";

const COMPONENT_PHASES = PHASES.filter((p) => !["infra", "inventory", "os", "wait-nodes"].includes(p)).reverse();

// Removes workloads, add-ons and nodes in reverse install order, then optionally terminates instances.
export async function teardown(lc: Lifecycle, op: Operation, phase?: "components" | "infra"): Promise<void> {
  const c = lc.c;
  if (phase !== "infra") {
    for (const p of COMPONENT_PHASES) {
      if (!c.phasesDone.has(p) && !anyPods(lc, p)) continue;
      op.log(`teardown ${p}: removing`);
      if (p === "messaging") await lc.hooks.messagingDown();
      if (p === "apps" || p === "gitops")
        for (const a of c.store.all("applications")) c.store.delete("applications", a.metadata.name, "argocd");
      const ws = c
        .workloads()
        .filter((w) => w.phase === p)
        .reverse();
      for (const w of ws) {
        // The garbage collector removes a controller's pods after the controller (foreground deletion aside).
        for (const r of ["deployments", "replicasets", "statefulsets", "daemonsets"] as const)
          for (const o of c.store.all(r, w.namespace))
            if (o.metadata.name === w.name || o.metadata.ownerReferences?.[0]?.name === w.name)
              c.store.delete(r, o.metadata.name, w.namespace);
        const pods = c.store
          .all("pods", w.namespace)
          .filter((x) => x.metadata.labels?.["growbin.app/workload"] === w.name);
        const t = new Date().toISOString().replace(/\.\d+Z$/, "Z");
        for (const x of pods) {
          c.store.update("pods", x.metadata.name, w.namespace, (y) => {
            y.metadata.deletionTimestamp = t;
            y.metadata.deletionGracePeriodSeconds = 30;
          });
          if (x.spec.nodeName && x.status?.phase === "Running") podKilled(c, x);
        }
        await lc.sleep(op, 1.5 / Math.max(1, ws.length));
        for (const x of pods) c.store.delete("pods", x.metadata.name, w.namespace);
      }
      for (const s of c.store.all("services"))
        if (serviceDiesWith(s.metadata.namespace!, s.metadata.name, p))
          c.store.delete("services", s.metadata.name, s.metadata.namespace);
      for (const [ns, nsPhase] of NAMESPACES) if (nsPhase === p) c.store.delete("namespaces", ns);
      if (p === "kubernetes") {
        for (const n of c.store.all("nodes")) c.store.delete("nodes", n.metadata.name);
        for (const l of c.store.all("leases")) c.store.delete("leases", l.metadata.name, l.metadata.namespace);
        op.log("teardown kubernetes: kubeadm reset on every node; nodes removed");
      }
      c.phasesDone.delete(p);
      c.save();
      op.log(`teardown ${p}: done`);
    }
    c.phasesDone.delete("os");
    for (const e of c.store.all("events")) c.store.delete("events", e.metadata.name, e.metadata.namespace);
    c.events.reset();
    c.faults = c.faults.filter((f) => f.kind === "instance-stopped");
  }
  if (phase !== "components") {
    const live = c.instances.filter((i) => i.state !== "terminated");
    if (c.store.count("nodes"))
      throw new ApiError(409, "nodes are still joined; run teardown --phase components first");
    for (const i of live) c.setInstanceState(i, "shutting-down");
    if (live.length) op.log(`teardown infra: ${live.length} instance(s) shutting-down`);
    await lc.sleep(op, 5);
    for (const i of live) c.setInstanceState(i, "terminated");
    c.phasesDone.clear();
    c.faults = [];
    op.log(`teardown infra: ${live.length} instance(s) terminated`);
  }
}

function anyPods(lc: Lifecycle, p: Phase): boolean {
  return lc.c
    .workloads()
    .some(
      (w) =>
        w.phase === p &&
        lc.c.store.all("pods", w.namespace).some((x) => x.metadata.labels?.["growbin.app/workload"] === w.name),
    );
}

function serviceDiesWith(ns: string, name: string, p: Phase): boolean {
  if (p === "kubernetes") return true;
  const owner: Record<string, Phase> = { monitoring: "monitoring", argocd: "gitops", messaging: "messaging" };
  if (owner[ns]) return owner[ns] === p;
  return (name === "redis" || name === "postgres") && p === "data";
}

// kubeadm reset on one node: it goes NotReady, its pods are evicted (Deployments reschedule), then it rejoins.
export async function resetNode(lc: Lifecycle, op: Operation, name: string): Promise<void> {
  const c = lc.c;
  if (!c.store.get("nodes", name)) throw notFound("nodes", name);
  op.log(`reset-node ${name}: kubeadm reset; kubelet stopped`);
  c.setNodeReady(name, "Unknown");
  await lc.sleep(op, 2);
  const others = c.store
    .all("nodes")
    .filter((n) => n.metadata.name !== name && c.nodeReady(n) && n.metadata.labels?.["growbin.app/role"] !== "master")
    .map((n) => n.metadata.name);
  const pending: { w: ReturnType<typeof c.workloads>[number]; i: number }[] = [];
  for (const pod of c.podsOnNode(name)) {
    const w = c
      .workloads()
      .find((x) => x.namespace === pod.metadata.namespace && pod.metadata.labels?.["growbin.app/workload"] === x.name);
    if (pod.status?.phase === "Running") podKilled(c, pod);
    c.store.delete("pods", pod.metadata.name, pod.metadata.namespace);
    if (!w || w.kind === "DaemonSet" || w.kind === "Static") continue;
    const i = Number(pod.metadata.labels?.["growbin.app/replica"] ?? 0);
    if (w.kind === "Deployment" && others.length) {
      const target = others[i % others.length]!;
      const np = buildPod(w, i, target, c.nodeSpec(target)!.ip, `${c.generation}-r${Date.now()}`);
      np.metadata.labels!["growbin.app/replica"] = String(i);
      setPodState(np, "Running", 0, `192.168.200.${lc.podIp++ & 255}`);
      announce(lc, c.store.put("pods", np));
      op.log(`reset-node ${name}: ${w.namespace}/${w.name} replica rescheduled to ${target}`);
    } else pending.push({ w, i });
  }
  for (const { w, i } of pending) {
    const np = buildPod(w, i, name, c.nodeSpec(name)!.ip, String(c.generation));
    np.metadata.labels!["growbin.app/replica"] = String(i);
    delete np.spec.nodeName;
    np.status.conditions = [
      {
        type: "PodScheduled",
        status: "False",
        reason: "Unschedulable",
        message: "0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.",
        lastProbeTime: null,
        lastTransitionTime: np.metadata.creationTimestamp,
      },
    ];
    announce(lc, c.store.put("pods", np));
    op.log(`reset-node ${name}: ${w.namespace}/${np.metadata.name} Pending until the node is back`);
  }
  await lc.sleep(op, 2);
  op.log(`reset-node ${name}: kubeadm join; node NotReady until calico starts`);
  c.setNodeReady(name, "NoCNI");
  for (const w of c
    .workloads()
    .filter(
      (x) => (x.kind === "DaemonSet" || (x.kind === "Static" && x.nodes.includes(name))) && c.phasesDone.has(x.phase),
    )) {
    const np = buildPod(w, 0, name, c.nodeSpec(name)!.ip, `${c.generation}-r${Date.now()}`);
    setPodState(np, "Running", 0);
    announce(lc, c.store.put("pods", np));
  }
  await lc.sleep(op, 2);
  c.setNodeReady(name, "Ready");
  for (const { w, i } of pending) {
    const np = buildPod(w, i, name, c.nodeSpec(name)!.ip, String(c.generation));
    np.metadata.labels!["growbin.app/replica"] = String(i);
    setPodState(np, "Running", 0, `192.168.201.${lc.podIp++ & 255}`);
    announce(lc, c.store.put("pods", np));
  }
  op.log(`reset-node ${name}: Ready again`);
}

// A replacement pod's events: created by its controller, then scheduled and started, or left unschedulable.
function announce(lc: Lifecycle, pod: K8sObject): void {
  controllerCreated(lc.c, pod);
  if (!pod.spec.nodeName) {
    const why = pod.status.conditions?.[0]?.message ?? "";
    lc.c.events.recordSeries(
      pod,
      "Warning",
      "FailedScheduling",
      "Scheduling",
      `${why} preemption: ${why.replace(/ are available: .*$/, " are available:")} ${lc.c.nodeSpecs().length} Preemption is not helpful for scheduling..`,
      "default-scheduler",
      "default-scheduler-master",
    );
    return;
  }
  podScheduled(lc.c, pod);
  if (pod.status?.phase === "Running") podStarting(lc.c, pod, "started");
}
