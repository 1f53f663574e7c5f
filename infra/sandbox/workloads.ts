// apps/v1 controllers (Deployment -> ReplicaSet, StatefulSet, DaemonSet) for the seed's workloads, with the
// status their controllers keep from the pods they own (pkg/controller/{deployment,replicaset,statefulset,daemon}).
import { containerName, ownerUid, templateHash } from "./builders";
import type { WorkloadSpec } from "./seed-workloads";
import type { Store, WatchEvent } from "./store";
import type { K8sObject, Resource } from "./types";

const RESOURCE: Record<string, Resource> = {
  Deployment: "deployments",
  ReplicaSet: "replicasets",
  StatefulSet: "statefulsets",
  DaemonSet: "daemonsets",
};

function template(w: WorkloadSpec, labels: Record<string, string>) {
  return {
    metadata: { creationTimestamp: null, labels },
    spec: {
      containers: [
        {
          name: containerName(w),
          image: w.image,
          imagePullPolicy: "IfNotPresent",
          resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "512Mi" } },
          terminationMessagePath: "/dev/termination-log",
          terminationMessagePolicy: "File",
        },
      ],
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 30,
      dnsPolicy: "ClusterFirst",
      schedulerName: "default-scheduler",
      securityContext: {},
    },
  };
}

function meta(w: WorkloadSpec, name: string, kind: string, gen: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    namespace: w.namespace,
    uid: ownerUid(kind, name, gen),
    generation: 1,
    labels: { ...(w.labels ?? {}) },
    ...extra,
  };
}

// The controller objects of one workload: a Deployment and its ReplicaSet, a StatefulSet or a DaemonSet.
export function buildControllers(w: WorkloadSpec, replicas: number, gen: string): [Resource, K8sObject][] {
  const selector = { matchLabels: { ...(w.labels ?? {}) } };
  if (w.kind === "Deployment") {
    const hash = templateHash(w.name, gen);
    const rsName = `${w.name}-${hash}`;
    const dep: K8sObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(w, w.name, "Deployment", gen, { annotations: { "deployment.kubernetes.io/revision": "1" } }),
      spec: {
        replicas,
        selector,
        template: template(w, { ...(w.labels ?? {}) }),
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {},
    };
    const podLabels = { ...(w.labels ?? {}), "pod-template-hash": hash };
    const rs: K8sObject = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: meta(w, rsName, "ReplicaSet", gen, {
        labels: podLabels,
        annotations: {
          "deployment.kubernetes.io/desired-replicas": String(replicas),
          "deployment.kubernetes.io/max-replicas": String(replicas + Math.ceil(replicas / 4)),
          "deployment.kubernetes.io/revision": "1",
        },
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "Deployment",
            name: w.name,
            uid: ownerUid("Deployment", w.name, gen),
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      }),
      spec: { replicas, selector: { matchLabels: podLabels }, template: template(w, podLabels) },
      status: { replicas: 0 },
    };
    return [
      ["deployments", dep],
      ["replicasets", rs],
    ];
  }
  if (w.kind === "StatefulSet") {
    return [
      [
        "statefulsets",
        {
          apiVersion: "apps/v1",
          kind: "StatefulSet",
          metadata: meta(w, w.name, "StatefulSet", gen),
          spec: {
            replicas,
            selector,
            serviceName: w.name,
            template: template(w, { ...(w.labels ?? {}) }),
            podManagementPolicy: "OrderedReady",
            updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
            revisionHistoryLimit: 10,
            persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
          },
          status: { replicas: 0, availableReplicas: 0 },
        },
      ],
    ];
  }
  if (w.kind === "DaemonSet") {
    return [
      [
        "daemonsets",
        {
          apiVersion: "apps/v1",
          kind: "DaemonSet",
          metadata: meta(w, w.name, "DaemonSet", gen, {
            annotations: { "deprecated.daemonset.template.generation": "1" },
          }),
          spec: {
            selector,
            template: template(w, { ...(w.labels ?? {}) }),
            updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
            revisionHistoryLimit: 10,
          },
          status: {
            desiredNumberScheduled: replicas,
            currentNumberScheduled: 0,
            numberMisscheduled: 0,
            numberReady: 0,
            observedGeneration: 1,
          },
        },
      ],
    ];
  }
  return [];
}

const ready = (p: K8sObject) =>
  !p.metadata.deletionTimestamp &&
  (p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");

// Keeps each controller's status in step with its pods, as the controllers' sync loops do; batched per tick.
export class ControllerStatus {
  // owner key "Kind/ns/name" -> pod name -> ready
  private pods = new Map<string, Map<string, boolean>>();
  private dirty = new Set<string>();
  private timer: NodeJS.Immediate | null = null;

  constructor(private readonly store: Store) {
    store.subscribe({ resource: "pods", push: (ev) => this.observe(ev) });
  }

  // Re-reads every pod (after a restart from the state file).
  rebuild(): void {
    this.pods.clear();
    for (const p of this.store.all("pods")) this.observe({ type: "ADDED", obj: p } as WatchEvent);
  }

  private observe(ev: Pick<WatchEvent, "type" | "obj">): void {
    const o = ev.obj.metadata.ownerReferences?.[0];
    if (!o || !RESOURCE[o.kind]) return;
    const key = `${o.kind}/${ev.obj.metadata.namespace}/${o.name}`;
    let m = this.pods.get(key);
    if (!m) this.pods.set(key, (m = new Map()));
    if (ev.type === "DELETED") m.delete(ev.obj.metadata.name);
    else m.set(ev.obj.metadata.name, ready(ev.obj));
    this.dirty.add(key);
    this.timer ??= setImmediate(() => this.flush());
  }

  // Writes the status of every controller whose pods changed.
  flush(): void {
    this.timer = null;
    const keys = [...this.dirty];
    this.dirty.clear();
    for (const key of keys) {
      const [kind, ns, name] = key.split("/") as [string, string, string];
      const m = this.pods.get(key) ?? new Map<string, boolean>();
      const total = m.size;
      const nready = [...m.values()].filter(Boolean).length;
      const updated = this.store.update(RESOURCE[kind]!, name, ns, (o) => setStatus(o, total, nready, name));
      const dep = kind === "ReplicaSet" ? updated?.metadata.ownerReferences?.[0] : undefined;
      if (dep) this.store.update("deployments", dep.name, ns, (o) => setStatus(o, total, nready, name));
    }
  }
}

function setStatus(o: K8sObject, total: number, nready: number, rs: string): void {
  const want = o.kind === "DaemonSet" ? o.status.desiredNumberScheduled : o.spec.replicas;
  const count = (n: number) => (n ? n : undefined);
  if (o.kind === "DaemonSet") {
    Object.assign(o.status, {
      currentNumberScheduled: total,
      numberReady: nready,
      updatedNumberScheduled: count(total),
      numberAvailable: count(nready),
      numberUnavailable: count(want - nready),
      observedGeneration: 1,
    });
    return;
  }
  if (o.kind === "StatefulSet") {
    const rev = `${o.metadata.name}-${String(o.metadata.uid)
      .slice(0, 8)
      .replace(/[^a-z0-9]/g, "x")}`;
    o.status = {
      observedGeneration: 1,
      replicas: total,
      readyReplicas: count(nready),
      currentReplicas: total,
      updatedReplicas: total,
      currentRevision: rev,
      updateRevision: rev,
      collisionCount: 0,
      availableReplicas: nready,
    };
    return;
  }
  if (o.kind === "ReplicaSet") {
    o.status = {
      replicas: total,
      fullyLabeledReplicas: count(total),
      readyReplicas: count(nready),
      availableReplicas: count(nready),
      observedGeneration: 1,
    };
    return;
  }
  const t = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const prev = (type: string) => (o.status?.conditions ?? []).find((c: any) => c.type === type);
  const cond = (type: string, ok: boolean, reason: string, message: string) => {
    const p = prev(type);
    const same = p && p.status === (ok ? "True" : "False");
    return {
      type,
      status: ok ? "True" : "False",
      lastUpdateTime: t,
      lastTransitionTime: same ? p.lastTransitionTime : t,
      reason,
      message,
    };
  };
  o.status = {
    observedGeneration: 1,
    replicas: count(total),
    updatedReplicas: count(total),
    readyReplicas: count(nready),
    availableReplicas: count(nready),
    unavailableReplicas: count(Math.max(0, want - nready)),
    conditions: [
      nready >= want - Math.floor(want / 4)
        ? cond("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.")
        : cond("Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
      cond(
        "Progressing",
        true,
        nready === want ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
        nready === want ? `ReplicaSet "${rs}" has successfully progressed.` : `ReplicaSet "${rs}" is progressing.`,
      ),
    ],
  };
}
