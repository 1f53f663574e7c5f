// The Events a real cluster records when each fault happens and when it clears (node events come from
// Cluster.setNodeReady). Messages copy the kubelet (pkg/kubelet/events/event.go reasons, kuberuntime,
// images/image_manager.go, oom_watcher_linux.go) and Argo CD's application controller (appcontroller.go).
import { randomUUID } from "node:crypto";
import type { Cluster } from "./cluster";
import { containerStarted, kubeletPodEvent, kubeletStarting } from "./events";
import type { FaultKind } from "./types";

function pod(c: Cluster, target: string) {
  const [ns, name] = target.split("/") as [string, string];
  return c.store.get("pods", name, ns);
}

const backOff = (p: any) =>
  `Back-off restarting failed container ${p.spec.containers[0].name} in pod ${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})`;

function appChange(c: Cluster, app: string, what: "sync" | "health", from: string, to: string): void {
  const a = c.store.get("applications", app, "argocd");
  if (a && from !== to)
    c.events.record(a, "Normal", "ResourceUpdated", `Updated ${what} status: ${from} -> ${to}`, {
      component: "argocd-application-controller",
    });
}

// Events for a fault just injected; `before` is the Application's sync/health before an app fault.
export function faultInjected(
  c: Cluster,
  kind: FaultKind,
  target: string,
  before?: { sync: string; health: string },
): void {
  const rec = c.events;
  const p =
    kind.startsWith("pod-") || kind === "etcd-unhealthy"
      ? pod(c, kind === "etcd-unhealthy" ? `kube-system/${target}` : target)
      : undefined;
  switch (kind) {
    case "pod-crashloop":
      // Five restarts have happened by the time the back-off reaches minutes.
      containerStarted(rec, p!, false, 5);
      kubeletPodEvent(rec, p!, "Warning", "BackOff", backOff(p), 5);
      return;
    case "pod-imagepull": {
      const image = p!.spec.containers[0].image;
      kubeletPodEvent(rec, p!, "Normal", "Pulling", `Pulling image "${image}"`, 2);
      kubeletPodEvent(
        rec,
        p!,
        "Warning",
        "Failed",
        `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`,
        2,
      );
      kubeletPodEvent(rec, p!, "Warning", "Failed", "Error: ErrImagePull", 2);
      kubeletPodEvent(rec, p!, "Normal", "BackOff", `Back-off pulling image "${image}"`, 3);
      kubeletPodEvent(rec, p!, "Warning", "Failed", "Error: ImagePullBackOff", 3);
      return;
    }
    case "pod-oomkilled": {
      const node = c.store.get("nodes", p!.spec.nodeName);
      if (node)
        rec.record(
          node,
          "Warning",
          "SystemOOM",
          `System OOM encountered, victim process: ${p!.spec.containers[0].name}, pid: ${20000 + ((p!.metadata.name.length * 7919) % 9000)}`,
          { component: "kubelet", host: node.metadata.name },
        );
      kubeletPodEvent(rec, p!, "Warning", "BackOff", backOff(p));
      return;
    }
    case "etcd-unhealthy":
      kubeletPodEvent(
        rec,
        p!,
        "Warning",
        "Unhealthy",
        "Readiness probe failed: HTTP probe failed with statuscode: 503",
        3,
      );
      return;
    case "app-outofsync":
      appChange(c, target, "sync", before?.sync ?? "Synced", "OutOfSync");
      return;
    case "app-degraded":
      appChange(c, target, "health", before?.health ?? "Healthy", "Degraded");
      return;
    default:
  }
}

// Events for a fault that clears: the container comes back, the kubelet restarts, the app recovers.
export function faultHealed(
  c: Cluster,
  kind: FaultKind,
  target: string,
  before?: { sync: string; health: string },
): void {
  const rec = c.events;
  switch (kind) {
    case "pod-crashloop":
    case "pod-oomkilled":
    case "pod-imagepull": {
      const p = pod(c, target);
      if (p) containerStarted(rec, p, kind === "pod-imagepull");
      return;
    }
    case "instance-stopped": {
      const node = c.store.get("nodes", target);
      if (!node) return;
      kubeletStarting(rec, node);
      rec.record(node, "Warning", "Rebooted", `Node ${target} has been rebooted, boot id: ${randomUUID()}`, {
        component: "kubelet",
        host: target,
      });
      return;
    }
    case "app-outofsync":
      appChange(c, target, "sync", before?.sync ?? "OutOfSync", "Synced");
      return;
    case "app-degraded":
      appChange(c, target, "health", before?.health ?? "Degraded", "Healthy");
      return;
    default:
  }
}
