// The Events of a pod's creation: its controller (pkg/controller/replicaset, statefulset, daemon, deployment),
// kube-scheduler (pkg/scheduler/schedule_one.go, events.k8s.io API) and the kubelet starting its container.
import type { Cluster } from "./cluster";
import { containerStarted, kubeletPodEvent } from "./events";
import type { K8sObject } from "./types";

const CONTROLLER: Record<string, string> = {
  ReplicaSet: "replicaset-controller",
  StatefulSet: "statefulset-controller",
  DaemonSet: "daemonset-controller",
};

// A controller created an object: a ReplicaSet (its Deployment scales it up) or a pod (its owner created it).
export function controllerCreated(c: Cluster, obj: K8sObject): void {
  const ref = obj.metadata.ownerReferences?.[0];
  if (!ref) return;
  const ns = obj.metadata.namespace;
  if (obj.kind === "ReplicaSet") {
    const dep = c.store.get("deployments", ref.name, ns);
    if (dep)
      c.events.record(
        dep,
        "Normal",
        "ScalingReplicaSet",
        `Scaled up replica set ${obj.metadata.name} to ${obj.spec.replicas}`,
        { component: "deployment-controller" },
      );
    return;
  }
  if (obj.kind !== "Pod" || !CONTROLLER[ref.kind]) return;
  const owner = c.store.get(
    ref.kind === "ReplicaSet" ? "replicasets" : ref.kind === "StatefulSet" ? "statefulsets" : "daemonsets",
    ref.name,
    ns,
  );
  if (!owner) return;
  const msg =
    ref.kind === "StatefulSet"
      ? `create Pod ${obj.metadata.name} in StatefulSet ${ref.name} successful`
      : `Created pod: ${obj.metadata.name}`;
  c.events.record(owner, "Normal", "SuccessfulCreate", msg, { component: CONTROLLER[ref.kind]! });
}

// kube-scheduler bound the pod; static pods are never scheduled.
export function podScheduled(c: Cluster, pod: K8sObject): void {
  if (pod.metadata.ownerReferences?.[0]?.kind === "Node") return;
  c.events.recordSeries(
    pod,
    "Normal",
    "Scheduled",
    "Binding",
    `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${pod.spec.nodeName}`,
    "default-scheduler",
    "default-scheduler-master",
  );
}

// No node fits yet: every node still carries the not-ready taint until the CNI is up.
export function schedulingBlocked(c: Cluster, pod: K8sObject): void {
  const n = c.nodeSpecs().length;
  c.events.recordSeries(
    pod,
    "Warning",
    "FailedScheduling",
    "Scheduling",
    `0/${n} nodes are available: ${n} node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling..`,
    "default-scheduler",
    "default-scheduler-master",
  );
}

// The kubelet pulling the image (static pods' images were pre-pulled by kubeadm) and starting the container.
export function podStarting(c: Cluster, pod: K8sObject, step: "pulling" | "started"): void {
  const isStatic = pod.metadata.ownerReferences?.[0]?.kind === "Node";
  if (step === "pulling") {
    if (!isStatic)
      kubeletPodEvent(c.events, pod, "Normal", "Pulling", `Pulling image "${pod.spec.containers[0].image}"`);
    return;
  }
  containerStarted(c.events, pod, !isStatic);
}

// The kubelet stopping a pod's container on deletion.
export function podKilled(c: Cluster, pod: K8sObject): void {
  kubeletPodEvent(c.events, pod, "Normal", "Killing", `Stopping container ${pod.spec.containers[0].name}`);
}
