// Provision and teardown: walks instances, nodes and pods through their real states, phase by phase.
import { buildApplication, setAppStatus } from "./argocd";
import { buildNamespace, buildNode, buildPod, buildService, podIdentity, setPodState } from "./builders";
import type { Cluster } from "./cluster";
import { buildLeaderLease, buildNodeLease } from "./leases";
import { controllerCreated, podScheduled, podStarting, schedulingBlocked } from "./pod-events";
import { NAMESPACES } from "./seed";
import { ARGO_APPS, type WorkloadSpec } from "./seed-workloads";
import { ApiError } from "./status";
import { PHASES, type Phase } from "./types";
import { buildControllers } from "./workloads";
import { kubeletStarting } from "./events";

// What the queue side does when RabbitMQ and the workers come and go.
export interface QueueHooks {
  messagingUp(log: (s: string) => void): Promise<void>;
  workersUp(): Promise<void>;
  messagingDown(): Promise<void>;
}

// Thrown inside a phase when the operator cancels it.
export class Cancelled extends Error {}

// One running operation: its log lines go to every listener (the CLI streams them).
export class Operation {
  lines: string[] = [];
  cancelled = false;
  private listeners = new Set<(line: string) => void>();
  constructor(readonly kind: string) {}
  log(line: string): void {
    const l = `sandbox: ${line}`;
    this.lines.push(l);
    for (const f of this.listeners) f(l);
  }
  listen(f: (line: string) => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }
}

// Base seconds per phase at time scale 1; together about 60 s.
const SECONDS: Record<Phase, number> = {
  infra: 8,
  inventory: 0,
  os: 4,
  kubernetes: 7,
  cni: 6,
  storage: 4,
  addons: 5,
  monitoring: 7,
  gitops: 6,
  messaging: 5,
  data: 4,
  apps: 6,
  "wait-nodes": 0,
};

const PREREQ: Partial<Record<Phase, Phase>> = {
  inventory: "infra",
  os: "infra",
  kubernetes: "os",
  cni: "kubernetes",
  storage: "cni",
  addons: "storage",
  monitoring: "addons",
  gitops: "monitoring",
  messaging: "gitops",
  data: "messaging",
  apps: "data",
  "wait-nodes": "kubernetes",
};

const SERVICES: Partial<Record<Phase, Parameters<typeof buildService>[]>> = {
  kubernetes: [
    ["default", "kubernetes", "10.96.0.1", [{ name: "https", port: 443 }], {}],
    [
      "kube-system",
      "kube-dns",
      "10.96.0.10",
      [
        { name: "dns", port: 53 },
        { name: "metrics", port: 9153 },
      ],
      { "k8s-app": "kube-dns" },
    ],
  ],
  monitoring: [
    [
      "monitoring",
      "kube-prometheus-stack-prometheus",
      "10.96.40.10",
      [{ name: "http-web", port: 9090 }],
      { "app.kubernetes.io/name": "prometheus" },
    ],
    [
      "monitoring",
      "kube-prometheus-stack-grafana",
      "10.96.40.11",
      [{ name: "http-web", port: 80 }],
      { "app.kubernetes.io/name": "grafana" },
    ],
    [
      "monitoring",
      "kube-prometheus-stack-alertmanager",
      "10.96.40.12",
      [{ name: "http-web", port: 9093 }],
      { "app.kubernetes.io/name": "alertmanager" },
    ],
  ],
  gitops: [
    [
      "argocd",
      "argocd-server",
      "10.96.50.10",
      [
        { name: "http", port: 80 },
        { name: "https", port: 443 },
      ],
      { "app.kubernetes.io/name": "argocd-server" },
    ],
  ],
  messaging: [
    [
      "messaging",
      "rabbitmq",
      "10.96.60.10",
      [
        { name: "amqp", port: 5672 },
        { name: "management", port: 15672 },
        { name: "prometheus", port: 15692 },
      ],
      { "app.kubernetes.io/name": "rabbitmq" },
    ],
  ],
  data: [
    ["default", "redis", "10.96.70.10", [{ name: "redis", port: 6379 }], { app: "redis" }],
    ["default", "postgres", "10.96.70.11", [{ name: "postgres", port: 5432 }], { app: "postgres" }],
  ],
};

// Runs provision/teardown/reset-node operations, one at a time.
export class Lifecycle {
  current: Operation | null = null;
  podIp = 10;

  constructor(
    readonly c: Cluster,
    readonly timeScale: number,
    readonly hooks: QueueHooks,
  ) {
    // The zero-wait lifecycle of --provisioned shares the cluster; only the server's own one sets the pace.
    if (timeScale > 0) c.startLeaseRenewal(Math.max(200, 10_000 * timeScale));
  }

  // Starts an operation in the background; a second one while one runs is refused.
  start(kind: string, body: (op: Operation) => Promise<void>): { op: Operation; done: Promise<void> } {
    if (this.current) throw new ApiError(409, `a ${this.current.kind} operation is already running`);
    const op = new Operation(kind);
    this.current = op;
    const done = body(op).finally(() => {
      this.current = null;
      this.c.flush();
    });
    return { op, done };
  }

  // Waits scaled time, in small steps so a cancel lands quickly.
  async sleep(op: Operation, seconds: number): Promise<void> {
    let left = seconds * 1000 * this.timeScale;
    while (left > 0) {
      if (op.cancelled) throw new Cancelled("cancelled");
      const step = Math.min(left, 100);
      await new Promise((r) => setTimeout(r, step));
      left -= step;
    }
    if (op.cancelled) throw new Cancelled("cancelled");
  }

  // Runs every phase, or one; checks that the phase before it has run.
  async provision(op: Operation, only?: Phase): Promise<void> {
    const phases: readonly Phase[] = only ? [only] : PHASES;
    for (const p of phases) {
      const pre = PREREQ[p];
      if (pre && !this.c.phasesDone.has(pre))
        throw new ApiError(
          409,
          `phase "${p}" needs phase "${pre}" first; run: npm run sandbox -- provision --phase ${pre}`,
        );
      op.log(`phase ${p}: started`);
      await this.runPhase(op, p);
      if (p !== "inventory" && p !== "wait-nodes") this.c.phasesDone.add(p);
      this.c.save();
      op.log(`phase ${p}: done`);
    }
  }

  private async runPhase(op: Operation, p: Phase): Promise<void> {
    const d = SECONDS[p];
    if (p === "infra") return this.infra(op, d);
    if (p === "inventory") {
      for (const i of this.c.instances.filter((x) => x.state !== "terminated"))
        op.log(
          `inventory: ${i.node} ${i.privateIp} ${i.instanceId} ${i.instanceType} ${i.zone} tier ${i.tier} (${i.state})`,
        );
      return;
    }
    if (p === "os") {
      op.log(
        `os: containerd 1.7.2, kernel modules overlay/br_netfilter, swap off, sysctl on ${this.c.nodeSpecs().length} hosts`,
      );
      return this.sleep(op, d);
    }
    if (p === "wait-nodes") return this.waitNodes(op);
    for (const [ns, phase] of NAMESPACES)
      if (phase === p && !this.c.store.get("namespaces", ns)) this.c.store.put("namespaces", buildNamespace(ns));
    for (const s of SERVICES[p] ?? []) this.c.store.put("services", buildService(...s));
    if (p === "kubernetes") await this.joinNodes(op, d / 2);
    const ws = this.c.workloads().filter((w) => w.phase === p);
    if (p === "apps") this.syncApps(op, "start");
    const per = (p === "kubernetes" ? d / 2 : d) / Math.max(1, ws.length);
    for (const w of ws) await this.rollOut(op, w, per, p === "cni" && w.name === "coredns");
    if (p === "cni") {
      for (const n of this.c.nodeSpecs()) this.c.setNodeReady(n.name, "Ready");
      op.log(`cni: calico up, ${this.c.nodeSpecs().length} nodes Ready`);
    }
    if (p === "gitops") {
      for (const a of ARGO_APPS) this.c.store.put("applications", buildApplication(a));
      op.log(`gitops: ${ARGO_APPS.length} Argo CD Applications created (OutOfSync, not yet synced)`);
    }
    if (p === "messaging") await this.hooks.messagingUp((s) => op.log(`messaging: ${s}`));
    if (p === "apps") {
      this.syncApps(op, "finish");
      await this.hooks.workersUp();
    }
  }

  private async infra(op: Operation, d: number): Promise<void> {
    this.c.instances = this.c.instances.filter((i) => i.state !== "terminated");
    if (!this.c.instances.length) this.c.generation++;
    const fresh = [];
    for (const spec of this.c.nodeSpecs()) {
      if (this.c.instanceFor(spec.name)) continue;
      const inst = this.c.newInstance(spec);
      fresh.push(inst);
      if (fresh.length <= 8)
        op.log(
          `infra: launching ${spec.name}: ${inst.instanceId} ${spec.instanceType} in ${spec.zone}, ${spec.diskGb} GB gp3 (pending)`,
        );
    }
    if (fresh.length > 8) op.log(`infra: ... and ${fresh.length - 8} more instances`);
    await this.sleep(op, d);
    for (const inst of fresh) this.c.setInstanceState(inst, "running");
    op.log(`infra: ${fresh.length} instance(s) running`);
  }

  private async joinNodes(op: Operation, d: number): Promise<void> {
    for (const spec of this.c.nodeSpecs()) {
      if (this.c.store.get("nodes", spec.name)) continue;
      const inst = this.c.instanceFor(spec.name);
      if (!inst) throw new ApiError(409, `node ${spec.name} has no EC2 instance; run the infra phase`);
      const node = this.c.store.put("nodes", buildNode(spec, inst, this.c.config.cluster));
      kubeletStarting(this.c.events, node);
      this.c.events.record(
        node,
        "Normal",
        "RegisteredNode",
        `Node ${spec.name} event: Registered Node ${spec.name} in Controller`,
        { component: "node-controller" },
      );
      this.c.store.put("leases", buildNodeLease(node));
      if (spec.role === "master")
        for (const l of ["kube-controller-manager", "kube-scheduler"])
          this.c.store.put("leases", buildLeaderLease(l, spec.name));
      this.c.setNodeReady(spec.name, "NoCNI");
      if (spec.role === "master") op.log(`kubernetes: kubeadm init on master (v1.28.4)`);
      else if (this.c.nodeSpecs().length <= 8)
        op.log(`kubernetes: kubeadm join ${spec.name} (NotReady until the CNI is up)`);
      await this.sleep(op, d / this.c.nodeSpecs().length);
    }
  }

  // Creates a workload's pods and walks them Pending -> ContainerCreating -> Running.
  private async rollOut(op: Operation, w: WorkloadSpec, seconds: number, needsCni: boolean): Promise<void> {
    const gen = String(this.c.generation);
    const placed = this.c.placement(w);
    for (const [r, obj] of buildControllers(w, placed.length, gen))
      if (!this.c.store.get(r, obj.metadata.name, obj.metadata.namespace))
        controllerCreated(this.c, this.c.store.put(r, obj));
    // Re-running a phase keeps the pods it already made; their names follow from the slot and generation, so
    // a lookup by name avoids scanning every pod of the namespace per workload (15,000 pods at 500 nodes).
    const specs = new Map(this.c.nodeSpecs().map((n) => [n.name, n]));
    const fresh = new Set<string>();
    const pods = placed.map((node, i) => {
      const ip = specs.get(node)!.ip;
      const existing = this.c.store.get("pods", podIdentity(w, i, node, gen).name, w.namespace);
      if (existing) return existing;
      const pod = buildPod(w, i, node, ip, gen);
      pod.metadata.labels!["growbin.app/replica"] = String(i);
      fresh.add(pod.metadata.name);
      return this.c.store.put("pods", pod);
    });
    const isFresh = (p: any) => fresh.has(p.metadata.name);
    for (const p of pods.filter(isFresh)) {
      controllerCreated(this.c, p);
      if (needsCni) schedulingBlocked(this.c, p);
      else podScheduled(this.c, p);
    }
    const small = pods.length <= 12;
    if (small)
      op.log(
        `${w.phase}: ${w.kind === "Static" ? "static pod" : w.kind.toLowerCase()} ${w.namespace}/${w.name}: ${pods.length} pod(s) Pending`,
      );
    await this.sleep(op, seconds / 3);
    for (const p of pods)
      this.c.store.update("pods", p.metadata.name, w.namespace, (x) => setPodState(x, "ContainerCreating"));
    if (!needsCni) for (const p of pods.filter(isFresh)) podStarting(this.c, p, "pulling");
    await this.sleep(op, seconds / 3);
    if (needsCni) {
      // CoreDNS stays unschedulable until the CNI makes the nodes Ready (the kubeadm "coredns Pending" step).
      for (const n of this.c.nodeSpecs()) this.c.setNodeReady(n.name, "Ready");
      for (const p of pods.filter(isFresh)) {
        podScheduled(this.c, p);
        podStarting(this.c, p, "pulling");
      }
    }
    pods.forEach((p, i) => {
      const ipNum = this.podIp++;
      const up = this.c.store.update("pods", p.metadata.name, w.namespace, (x) =>
        setPodState(x, "Running", w.restarts?.[i] ?? 0, `192.168.${(ipNum >> 8) & 255}.${ipNum & 255}`),
      );
      if (up && isFresh(p)) podStarting(this.c, up, "started");
    });
    op.log(`${w.phase}: ${w.namespace}/${w.name} ${pods.length}/${pods.length} Running`);
    await this.sleep(op, seconds / 3);
  }

  private syncApps(op: Operation, step: "start" | "finish"): void {
    for (const a of ARGO_APPS) {
      const before = this.c.store.get("applications", a, "argocd")?.status;
      const app = this.c.store.update("applications", a, "argocd", (x) =>
        setAppStatus(x, step === "start" ? "OutOfSync" : "Synced", step === "start" ? "Progressing" : "Healthy"),
      );
      // Argo CD's application controller records each status change (controller/appcontroller.go).
      for (const what of ["sync", "health"] as const) {
        const from = before?.[what]?.status;
        const to = app?.status[what].status;
        if (app && from !== to)
          this.c.events.record(app, "Normal", "ResourceUpdated", `Updated ${what} status: ${from} -> ${to}`, {
            component: "argocd-application-controller",
          });
      }
    }
    op.log(
      step === "start"
        ? `apps: Argo CD syncing ${ARGO_APPS.length} applications (OutOfSync, Progressing)`
        : `apps: ${ARGO_APPS.length} applications Synced, Healthy`,
    );
  }

  private async waitNodes(op: Operation): Promise<void> {
    const deadline = Date.now() + Math.max(2000, 120_000 * this.timeScale);
    for (;;) {
      const nodes = this.c.store.all("nodes");
      const notReady = nodes.filter((n) => !this.c.nodeReady(n)).map((n) => n.metadata.name);
      if (nodes.length && !notReady.length) return op.log(`wait-nodes: all ${nodes.length} nodes Ready`);
      if (Date.now() > deadline)
        throw new ApiError(
          500,
          nodes.length
            ? `timed out waiting for nodes to be Ready: ${notReady.join(", ")} still NotReady`
            : "timed out waiting for nodes: no node has joined",
        );
      if (op.cancelled) throw new Cancelled("cancelled");
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
