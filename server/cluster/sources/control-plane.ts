import "server-only";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { KubeError, kubeGetText } from "@/server/cluster/kube/kube-http";
import { isReady, listPods, type PodInfo } from "@/server/cluster/sources/pods";
import type { Problem } from "@/server/cluster/health/types";

// Control plane: the apiserver's /readyz?verbose (etcd included) and kubeadm's static pods.

export type ReadyzCheck = { name: string; ok: boolean; detail: string | null };
export type StaticPod = {
  component: string;
  pod: string | null;
  node: string | null;
  status: string;
  ready: boolean;
  restarts: number;
};
export type ControlPlane = { readyz: { ok: boolean; checks: ReadyzCheck[] }; staticPods: StaticPod[] };

export const STATIC_COMPONENTS = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"] as const;

/** Parses `/readyz?verbose` lines: `[+]etcd ok`, `[-]etcd failed: reason withheld`. */
export function parseReadyz(text: string): ReadyzCheck[] {
  const out: ReadyzCheck[] = [];
  for (const line of text.split("\n")) {
    const m = /^\[([+-])\]([^\s]+)\s*(.*)$/.exec(line.trim());
    if (m)
      out.push({
        name: m[2]!,
        ok: m[1] === "+",
        detail: m[1] === "-" ? m[3]!.replace(/^failed:?\s*/, "") || null : null,
      });
  }
  return out;
}

/** The static pods of the control plane, one per component (missing ones included). */
export function toStaticPods(pods: PodInfo[]): StaticPod[] {
  return STATIC_COMPONENTS.map((component) => {
    const p = pods.find((x) => x.workload === component);
    return {
      component,
      pod: p?.name ?? null,
      node: p?.node ?? null,
      status: p?.status ?? "Missing",
      ready: !!p && isReady(p),
      restarts: p?.restarts ?? 0,
    };
  });
}

/** Problems: a failed readyz check (etcd above all) and a static pod missing or not ready. */
export function controlPlaneProblems(cp: ControlPlane): Problem[] {
  const out: Problem[] = [];
  for (const c of cp.readyz.checks.filter((x) => !x.ok)) {
    const etcd = c.name.startsWith("etcd");
    out.push({
      type: etcd ? "etcd-unhealthy" : "apiserver-check-failed",
      severity: "critical",
      source: "controlPlane",
      namespace: "kube-system",
      workload: etcd ? "etcd" : "kube-apiserver",
      message: etcd
        ? `etcd is unhealthy: the apiserver's readyz check "${c.name}" fails`
        : `The apiserver's readyz check "${c.name}" fails`,
      hint: etcd
        ? "Run check-etcd-health.sh (etcdctl endpoint health) on the master; look at the etcd pod's log and disk space."
        : "kubectl get --raw '/readyz?verbose' and the apiserver's log.",
    });
  }
  if (!cp.readyz.ok && !cp.readyz.checks.some((c) => !c.ok))
    out.push({
      type: "apiserver-not-ready",
      severity: "critical",
      source: "controlPlane",
      namespace: "kube-system",
      workload: "kube-apiserver",
      message: "The apiserver reports not ready",
      hint: "kubectl get --raw '/readyz?verbose'",
    });
  for (const s of cp.staticPods) {
    if (s.ready) continue;
    out.push({
      type: "static-pod-not-ready",
      severity: "critical",
      source: "controlPlane",
      namespace: "kube-system",
      workload: s.component,
      node: s.node ?? undefined,
      pod: s.pod ?? undefined,
      message: s.pod
        ? `Control plane pod kube-system/${s.pod} is not ready (${s.status})`
        : `The ${s.component} static pod is missing`,
      hint: `Static pods come from /etc/kubernetes/manifests/${s.component}.yaml on the master; check the kubelet's log there.`,
    });
  }
  return out;
}

/** Reads /readyz?verbose and the static pods of kube-system. */
export async function readControlPlane(kc: KubeTarget, signal: AbortSignal): Promise<ControlPlane> {
  const [rz, pods] = await Promise.all([
    kubeGetText(kc, "/readyz?verbose", signal, "text/plain"),
    listPods(kc, signal, { namespace: "kube-system", labelSelector: "tier=control-plane" }),
  ]);
  if (rz.status === 401 || rz.status === 403 || rz.status === 404)
    throw new KubeError(`/readyz answered ${rz.status}`, rz.status);
  return { readyz: { ok: rz.status === 200, checks: parseReadyz(rz.text) }, staticPods: toStaticPods(pods) };
}
