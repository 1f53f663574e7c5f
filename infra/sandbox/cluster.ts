// The sandbox's whole state: objects, EC2 instances, phases done and faults, persisted in the state folder.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { nodeConditions, now } from "./builders";
import { EventRecorder } from "./events";
import { scaleNodes, SEED_NODES, type NodeSpec } from "./seed";
import { WORKLOADS, type WorkloadSpec } from "./seed-workloads";
import { microTime } from "./leases";
import { Store } from "./store";
import type { Fault, Instance, K8sObject, Phase } from "./types";
import { ControllerStatus } from "./workloads";

// Settings fixed when a sandbox is first created, kept in its state file.
export interface ClusterConfig {
  cluster: string;
  nodes: number;
  podsPerNode: number;
}

// One sandbox cluster and its persistence.
export class Cluster {
  store = new Store();
  instances: Instance[] = [];
  phasesDone = new Set<Phase>();
  faults: Fault[] = [];
  generation = 0;
  // Other modules' persisted state (the modeled queues).
  extra: Record<string, unknown> = {};
  // Deployment/ReplicaSet/StatefulSet/DaemonSet status, kept from their pods.
  readonly controllers: ControllerStatus;
  // Records core/v1 Events as the kubelet and controllers would.
  readonly events: EventRecorder;
  private leaseTimer: NodeJS.Timeout | null = null;
  private saveTimer: NodeJS.Timeout | null = null;
  private file: string;

  constructor(
    readonly stateDir: string,
    readonly config: ClusterConfig,
  ) {
    this.file = path.join(stateDir, "state.json");
    this.store.onChange = () => this.save();
    this.controllers = new ControllerStatus(this.store);
    this.events = new EventRecorder(this.store);
  }

  // Renews every lease whose holder is alive, as each kubelet does every 10 s (renewInterval = 0.25 x 40 s).
  // Renewals are not persisted: a restarted sandbox renews again at once.
  renewLeases(): void {
    const t = microTime();
    for (const l of this.store.all("leases")) {
      const node = l.metadata.namespace === "kube-node-lease" ? l.metadata.name : "master";
      const n = this.store.get("nodes", node);
      const alive = n && !(n.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "Unknown");
      if (alive)
        this.store.update(
          "leases",
          l.metadata.name,
          l.metadata.namespace,
          (x) => {
            x.spec.renewTime = t;
          },
          false,
        );
    }
  }

  // Starts the renewal loop once; intervalMs follows the sandbox's time scale.
  startLeaseRenewal(intervalMs: number): void {
    if (this.leaseTimer) return;
    this.leaseTimer = setInterval(() => this.renewLeases(), intervalMs);
    this.leaseTimer.unref();
  }

  // Stops background loops when the server stops.
  close(): void {
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.leaseTimer = null;
  }

  // Restores the last saved state, if any; returns false for a fresh folder.
  load(): boolean {
    if (!fs.existsSync(this.file)) return false;
    const s = JSON.parse(fs.readFileSync(this.file, "utf8"));
    Object.assign(this.config, s.config ?? {});
    this.store.load(s.rv, s.objects);
    this.instances = s.instances;
    this.phasesDone = new Set(s.phasesDone);
    this.faults = s.faults;
    this.generation = s.generation;
    this.extra = s.extra ?? {};
    this.controllers.rebuild();
    return true;
  }

  // Debounced: provisioning changes hundreds of objects a second. At 500 nodes a save serializes tens of MB,
  // so the wait grows with the last save's cost to keep saving under a tenth of the time.
  save(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.flush(), Math.max(500, this.lastFlushMs * 10));
    this.saveTimer.unref();
  }
  private lastFlushMs = 0;

  flush(): void {
    const t0 = Date.now();
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const body = JSON.stringify({
      config: this.config,
      rv: this.store.rv,
      objects: this.store.dump(),
      instances: this.instances,
      phasesDone: [...this.phasesDone],
      faults: this.faults,
      generation: this.generation,
      extra: this.extra,
    });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, body, { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    this.lastFlushMs = Date.now() - t0;
  }

  // The node topology: the seed's 4 nodes, or more in scale mode.
  nodeSpecs(): NodeSpec[] {
    if (this.config.nodes <= 4) return SEED_NODES;
    if (this.specCache?.length !== this.config.nodes) this.specCache = scaleNodes(this.config.nodes);
    return this.specCache;
  }
  private specCache: NodeSpec[] | null = null;

  nodeSpec(name: string): NodeSpec | undefined {
    return this.nodeSpecs().find((n) => n.name === name);
  }

  // Workloads, plus one filler Deployment per extra node in scale mode so each node carries podsPerNode pods.
  workloads(): WorkloadSpec[] {
    if (this.config.nodes <= 4) return WORKLOADS;
    const fill = Math.max(0, this.config.podsPerNode - 4);
    const extra = this.nodeSpecs()
      .slice(4)
      .map<WorkloadSpec>((n) => ({
        phase: "apps",
        namespace: "default",
        name: `load-${n.name}`,
        kind: "Deployment",
        replicas: fill,
        nodes: [n.name],
        image: "ghcr.io/growbin/load:1.0.0",
        labels: { app: "load", "growbin.app/node": n.name },
      }));
    return [...WORKLOADS, ...extra];
  }

  // Where each replica of a workload runs.
  placement(w: WorkloadSpec): string[] {
    if (w.kind === "DaemonSet") return this.nodeSpecs().map((n) => n.name);
    return Array.from({ length: w.replicas }, (_, i) => w.nodes[i % w.nodes.length]!);
  }

  // Sets a node's Ready condition and the taints the node lifecycle controller adds with it.
  // It also records what the kubelet (Ready/NotReady) and the node lifecycle controller (NotReady on a silent
  // kubelet, and "Node is not ready" on each of its pods, pkg/controller/nodelifecycle) record on a change.
  setNodeReady(name: string, state: "Ready" | "NoCNI" | "Unknown"): void {
    const prev = this.store.get("nodes", name)?.status?.conditions?.find((c: any) => c.type === "Ready")?.status;
    const node = this.store.update("nodes", name, undefined, (n) => {
      n.status.conditions = nodeConditions(state, now());
      const keep = (n.spec.taints ?? []).filter((t: any) => !t.key.startsWith("node.kubernetes.io/"));
      if (state === "NoCNI") keep.push({ key: "node.kubernetes.io/not-ready", effect: "NoSchedule" });
      if (state === "Unknown")
        keep.push(
          { key: "node.kubernetes.io/unreachable", effect: "NoSchedule", timeAdded: now() },
          { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: now() },
        );
      n.spec.taints = keep;
    });
    if (!node) return;
    const kubelet = { component: "kubelet", host: name };
    if (state === "Ready" && prev !== "True")
      this.events.record(node, "Normal", "NodeReady", `Node ${name} status is now: NodeReady`, kubelet);
    if (state === "NoCNI" && prev !== "False")
      this.events.record(node, "Normal", "NodeNotReady", `Node ${name} status is now: NodeNotReady`, kubelet);
    if (state === "Unknown" && prev !== "Unknown") {
      this.events.record(node, "Normal", "NodeNotReady", `Node ${name} status is now: NodeNotReady`, {
        component: "node-controller",
      });
      for (const p of this.podsOnNode(name))
        this.events.record(p, "Warning", "NodeNotReady", "Node is not ready", { component: "node-controller" });
    }
  }

  nodeReady(n: K8sObject): boolean {
    return (n.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");
  }

  podsOnNode(node: string): K8sObject[] {
    return this.store.all("pods").filter((p) => p.spec?.nodeName === node);
  }

  instanceFor(node: string): Instance | undefined {
    return this.instances.find((i) => i.node === node && i.state !== "terminated");
  }

  // A new EC2 instance for a node, pending as RunInstances leaves it.
  newInstance(spec: NodeSpec): Instance {
    const inst: Instance = {
      instanceId: `i-0${randomBytes(8).toString("hex").slice(0, 16)}`,
      node: spec.name,
      role: spec.role,
      tier: spec.tier,
      instanceType: spec.instanceType,
      zone: spec.zone,
      diskGb: spec.diskGb,
      privateIp: spec.ip,
      state: "pending",
      launchTime: now(),
      reservationId: `r-0${randomBytes(8).toString("hex").slice(0, 16)}`,
    };
    this.instances.push(inst);
    this.save();
    return inst;
  }

  setInstanceState(inst: Instance, state: Instance["state"]): void {
    inst.state = state;
    this.save();
  }
}
