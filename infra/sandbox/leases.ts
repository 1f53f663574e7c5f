// coordination.k8s.io/v1 Leases: each kubelet's node lease in kube-node-lease (renewed every 10 s, duration 40 s,
// pkg/kubelet/nodelease and k8s.io/component-helpers/apimachinery/lease) and the control plane's leader leases.
import { randomUUID } from "node:crypto";
import type { K8sObject } from "./types";

// MicroTime, as leases carry it: RFC3339 with 6 fractional digits.
export function microTime(d = new Date()): string {
  return d.toISOString().replace(/(\.\d{3})Z$/, "$1000Z");
}

// The lease a kubelet creates when it registers its node; owned by the Node so it goes when the node goes.
export function buildNodeLease(node: K8sObject): K8sObject {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: node.metadata.name,
      namespace: "kube-node-lease",
      ownerReferences: [{ apiVersion: "v1", kind: "Node", name: node.metadata.name, uid: node.metadata.uid }],
    },
    spec: { holderIdentity: node.metadata.name, leaseDurationSeconds: 40, renewTime: microTime() },
  };
}

// A leader-election lease of kube-controller-manager or kube-scheduler, held by the master's instance.
export function buildLeaderLease(name: string, node: string): K8sObject {
  const t = microTime();
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name, namespace: "kube-system" },
    spec: {
      holderIdentity: `${node}_${randomUUID()}`,
      leaseDurationSeconds: 15,
      acquireTime: t,
      renewTime: t,
      leaseTransitions: 0,
    },
  };
}
