// Builders for the JSON of nodes, pods, namespaces, services and events as kubectl would see them.
import { createHash } from "node:crypto";
import type { NodeSpec } from "./seed";
import type { WorkloadSpec } from "./seed-workloads";
import type { Instance, K8sObject } from "./types";

const ALPHA = "bcdfghjklmnpqrstvwxz2456789";

// Kubernetes-style random suffix, deterministic per input so names survive a rebuild of the same generation.
export function suffix(input: string, len: number): string {
  const h = createHash("sha1").update(input).digest();
  let s = "";
  for (let i = 0; i < len; i++) s += ALPHA[h[i]! % ALPHA.length];
  return s;
}

// Timestamps as the apiserver writes them (seconds precision, Z).
export function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

const MEM: Record<string, string> = { "t3.large": "8039036Ki", "t3.medium": "3964476Ki" };

// A Node as kubelet registers it after `kubeadm init/join`; Ready comes later with the CNI.
export function buildNode(spec: NodeSpec, inst: Instance, cluster: string): K8sObject {
  const labels: Record<string, string> = {
    "beta.kubernetes.io/arch": "amd64",
    "beta.kubernetes.io/instance-type": spec.instanceType,
    "beta.kubernetes.io/os": "linux",
    "failure-domain.beta.kubernetes.io/region": "ap-northeast-2",
    "failure-domain.beta.kubernetes.io/zone": spec.zone,
    "kubernetes.io/arch": "amd64",
    "kubernetes.io/hostname": spec.name,
    "kubernetes.io/os": "linux",
    "node.kubernetes.io/instance-type": spec.instanceType,
    "topology.kubernetes.io/region": "ap-northeast-2",
    "topology.kubernetes.io/zone": spec.zone,
    "topology.ebs.csi.aws.com/zone": spec.zone,
    "growbin.app/cluster": cluster,
    "growbin.app/role": spec.role,
    "growbin.app/tier": spec.tier,
  };
  if (spec.role === "master") {
    labels["node-role.kubernetes.io/control-plane"] = "";
    labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
  }
  const disk = `${spec.diskGb * 1024 * 1024 - 1_500_000}Ki`;
  const mem = MEM[spec.instanceType]!;
  const octets = spec.ip.split(".");
  return {
    kind: "Node",
    apiVersion: "v1",
    metadata: {
      name: spec.name,
      labels,
      annotations: {
        "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
        "node.alpha.kubernetes.io/ttl": "0",
        "projectcalico.org/IPv4Address": `${spec.ip}/24`,
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
    },
    spec: {
      podCIDR: `192.168.${octets[3]}.0/24`,
      podCIDRs: [`192.168.${octets[3]}.0/24`],
      providerID: `aws:///${spec.zone}/${inst.instanceId}`,
      taints: spec.role === "master" ? [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] : [],
    },
    status: {
      capacity: {
        cpu: "2",
        "ephemeral-storage": disk,
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        memory: mem,
        pods: "110",
      },
      allocatable: {
        cpu: "2",
        "ephemeral-storage": disk,
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        memory: mem,
        pods: "110",
      },
      conditions: [],
      addresses: [
        { type: "InternalIP", address: spec.ip },
        { type: "Hostname", address: spec.name },
        { type: "InternalDNS", address: `ip-${spec.ip.replaceAll(".", "-")}.ap-northeast-2.compute.internal` },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: suffix(inst.instanceId + "m", 32).replace(/[^0-9a-f]/g, "a"),
        systemUUID: `ec2${suffix(inst.instanceId, 5)}-0000-0000-0000-000000000000`,
        bootID: suffix(inst.instanceId + inst.launchTime, 8),
        kernelVersion: "6.2.0-1017-aws",
        osImage: "Ubuntu 22.04.3 LTS",
        containerRuntimeVersion: "containerd://1.7.2",
        kubeletVersion: "v1.28.4",
        kubeProxyVersion: "v1.28.4",
        operatingSystem: "linux",
        architecture: "amd64",
      },
    },
  };
}

// The node conditions for Ready / NotReady (with the kubelet's real reasons) / Unknown.
export function nodeConditions(state: "Ready" | "NoCNI" | "Unknown", since: string): any[] {
  const base = (type: string, reason: string, message: string) => ({
    type,
    status: "False",
    lastHeartbeatTime: since,
    lastTransitionTime: since,
    reason,
    message,
  });
  const conds: any[] = [
    base("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    base("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    base("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
  ];
  if (state === "Ready")
    conds.push({
      ...base("Ready", "KubeletReady", "kubelet is posting ready status. AppArmor enabled"),
      status: "True",
    });
  else if (state === "NoCNI")
    conds.push(
      base(
        "Ready",
        "KubeletNotReady",
        "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
      ),
    );
  else {
    for (const c of conds)
      Object.assign(c, {
        status: "Unknown",
        reason: "NodeStatusUnknown",
        message: "Kubelet stopped posting node status.",
      });
    conds.push({ ...base("Ready", "NodeStatusUnknown", "Kubelet stopped posting node status."), status: "Unknown" });
  }
  return conds;
}

// The uid of a controller object, derived so pods and their owner agree without a lookup.
export function ownerUid(kind: string, name: string, gen: string): string {
  return suffix(`${kind}/${name}/${gen.split("-")[0]}`, 8) + "-0000-4000-8000-000000000000";
}

// The ReplicaSet's pod-template-hash for a Deployment in one cluster generation.
export function templateHash(name: string, gen: string): string {
  return suffix(`${name}/${gen.split("-")[0]}`, 10);
}

// The container name the seed gives a workload's single container.
export function containerName(w: WorkloadSpec): string {
  return w.name.replace(
    /^kube-prometheus-stack-|^prometheus-kube-prometheus-stack-|^alertmanager-kube-prometheus-stack-/,
    "",
  );
}

// Pod names and owner references as each controller kind makes them; a rescheduled pod ("GEN-rTIME") gets a
// new name but the same owner.
export function podIdentity(w: WorkloadSpec, index: number, node: string, gen: string) {
  const rsHash = templateHash(w.name, gen);
  switch (w.kind) {
    case "Static":
      return { name: `${w.name}-${node}`, owner: { apiVersion: "v1", kind: "Node", name: node } };
    case "StatefulSet":
      return { name: `${w.name}-${index}`, owner: { apiVersion: "apps/v1", kind: "StatefulSet", name: w.name } };
    case "DaemonSet":
      return {
        name: `${w.name}-${suffix(`${w.name}/${node}/${gen}`, 5)}`,
        owner: { apiVersion: "apps/v1", kind: "DaemonSet", name: w.name },
      };
    default:
      return {
        name: `${w.name}-${rsHash}-${suffix(`${w.name}/${index}/${gen}`, 5)}`,
        owner: { apiVersion: "apps/v1", kind: "ReplicaSet", name: `${w.name}-${rsHash}` },
        podTemplateHash: rsHash,
      };
  }
}

// A pod just created by its controller and bound to a node (phase Pending, containers not yet created).
export function buildPod(w: WorkloadSpec, index: number, node: string, nodeIp: string, gen: string): K8sObject {
  const id = podIdentity(w, index, node, gen);
  const labels: Record<string, string> = { ...(w.labels ?? {}) };
  if ("podTemplateHash" in id && id.podTemplateHash) labels["pod-template-hash"] = id.podTemplateHash;
  // Lets the sandbox find a controller's pods without guessing from name prefixes.
  labels["growbin.app/workload"] = w.name;
  if (w.kind === "StatefulSet") labels["statefulset.kubernetes.io/pod-name"] = id.name;
  const container = containerName(w);
  const hostNetwork =
    w.kind === "Static" || w.name === "kube-proxy" || w.name === "calico-node" || w.name.endsWith("node-exporter");
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata: {
      name: id.name,
      ...(w.kind === "Deployment" || w.kind === "DaemonSet" ? { generateName: id.name.slice(0, -5) } : {}),
      namespace: w.namespace,
      labels,
      ...(w.kind === "Static"
        ? { annotations: { "kubernetes.io/config.source": "file", "kubernetes.io/config.hash": suffix(id.name, 32) } }
        : {}),
      ownerReferences: [
        {
          ...id.owner,
          uid: ownerUid(id.owner.kind, id.owner.name, gen),
          controller: true,
          ...(w.kind === "Static" ? {} : { blockOwnerDeletion: true }),
        },
      ],
    },
    spec: {
      containers: [
        {
          name: container,
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
      serviceAccountName: "default",
      nodeName: node,
      hostNetwork: hostNetwork || undefined,
      schedulerName: "default-scheduler",
      priority: w.namespace === "kube-system" ? 2000001000 : 0,
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
    },
    status: { phase: "Pending", qosClass: "Burstable", hostIP: nodeIp, conditions: [] },
  };
}

// Sets a pod's status to a lifecycle state with the conditions and container statuses kubelet reports.
export function setPodState(
  pod: K8sObject,
  state: "ContainerCreating" | "Running",
  restarts = 0,
  podIp?: string,
): void {
  const t = now();
  const c = pod.spec.containers[0];
  const cond = (type: string, ok: boolean) => ({
    type,
    status: ok ? "True" : "False",
    lastProbeTime: null,
    lastTransitionTime: t,
  });
  const running = state === "Running";
  const ip = pod.spec.hostNetwork ? pod.status.hostIP : podIp;
  pod.status = {
    phase: running ? "Running" : "Pending",
    conditions: [
      cond("Initialized", true),
      cond("Ready", running),
      cond("ContainersReady", running),
      cond("PodScheduled", true),
    ],
    hostIP: pod.status.hostIP,
    hostIPs: [{ ip: pod.status.hostIP }],
    ...(running && ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
    startTime: pod.status.startTime ?? t,
    containerStatuses: [
      {
        name: c.name,
        state: running ? { running: { startedAt: t } } : { waiting: { reason: "ContainerCreating" } },
        // A container that has restarted keeps its previous instance, which `kubectl logs --previous` reads; the
        // seed's standing restarts are start-up races (a worker up before RabbitMQ), so that instance exited 1.
        lastState:
          running && restarts > 0
            ? {
                terminated: {
                  exitCode: 1,
                  reason: "Error",
                  startedAt: new Date(Date.parse(t) - 3000).toISOString().replace(/\.\d+Z$/, "Z"),
                  finishedAt: t,
                  containerID: `containerd://${createHash("sha256").update(`${pod.metadata.name}/${restarts}/prev`).digest("hex")}`,
                },
              }
            : {},
        ready: running,
        restartCount: restarts,
        image: c.image,
        imageID: running ? `${c.image.split(":")[0]}@sha256:${createHash("sha256").update(c.image).digest("hex")}` : "",
        ...(running
          ? {
              containerID: `containerd://${createHash("sha256")
                .update(pod.metadata.name + t)
                .digest("hex")}`,
            }
          : {}),
        started: running,
      },
    ],
    qosClass: "Burstable",
  };
}

// A namespace object.
export function buildNamespace(name: string): K8sObject {
  return {
    kind: "Namespace",
    apiVersion: "v1",
    metadata: { name, labels: { "kubernetes.io/metadata.name": name } },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
}

// A ClusterIP service.
export function buildService(
  ns: string,
  name: string,
  ip: string,
  ports: { name: string; port: number }[],
  selector: Record<string, string>,
): K8sObject {
  return {
    kind: "Service",
    apiVersion: "v1",
    metadata: { name, namespace: ns, labels: selector },
    spec: {
      type: "ClusterIP",
      clusterIP: ip,
      clusterIPs: [ip],
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      ports: ports.map((p) => ({ name: p.name, protocol: "TCP", port: p.port, targetPort: p.port })),
      selector,
      sessionAffinity: "None",
      internalTrafficPolicy: "Cluster",
    },
    status: { loadBalancer: {} },
  };
}
