// The kube-prometheus-stack alerting rules the sandbox's faults can trip, evaluated on the sandbox's objects the way
// kube-state-metrics exposes them. Names, expressions, `for:` durations, severities and annotations are those of
// kubernetes-monitoring/kubernetes-mixin (alerts/apps_alerts.libsonnet, alerts/kubernetes_alerts.libsonnet),
// prometheus-operator/kube-prometheus (jsonnet/kube-prometheus/components/mixin/alerts/general.libsonnet: TargetDown,
// Watchdog) and etcd-io/etcd's mixin (contrib/mixin: etcdMembersDown, etcdInsufficientMembers) as
// kube-prometheus-stack renders them. RabbitMQ: neither kube-prometheus-stack nor kube-prometheus ships a RabbitMQ
// rule, and the Cluster Operator's optional rules (observability/prometheus/rules) have none on queue depth or
// consumers, so the queue faults raise no alert here either.
import type { Cluster } from "./cluster";
import type { K8sObject } from "./types";

/** One series a rule's expression returns: its labels and when the condition began, if an object says so. */
export interface RuleHit {
  labels: Record<string, string>;
  since?: number;
  value?: number;
}

/** An alerting rule: its expression as text (for generatorURL), its evaluation, and the alert's metadata. */
export interface AlertRule {
  name: string;
  expr: string;
  forSec: number;
  /** How long a series stays true after its cause went (a range vector such as max_over_time(...[5m])). */
  holdSec?: number;
  severity: string;
  annotations: (l: Record<string, string>, value?: number) => Record<string, string>;
  eval: (c: Cluster) => RuleHit[];
}

const RUNBOOK = "https://runbooks.prometheus-operator.dev/runbooks";
const KSM_SERVICE = "kube-prometheus-stack-kube-state-metrics";
const ts = (s?: string) => (s ? Date.parse(s) : undefined);
const cond = (o: K8sObject, type: string) => (o.status?.conditions ?? []).find((c: any) => c.type === type);

// kube-state-metrics' target labels; ServiceMonitor honorLabels keeps the metric's own namespace/pod over the target's.
function ksm(c: Cluster, own: Record<string, string>): Record<string, string> | null {
  const pod = c.store.all("pods", "monitoring").find((p) => p.metadata.name.startsWith(`${KSM_SERVICE}-`));
  if (!pod || cond(pod, "Ready")?.status !== "True") return null; // no scrape, no series
  return {
    container: "kube-state-metrics",
    endpoint: "http",
    instance: `${pod.status?.podIP ?? "10.0.0.1"}:8080`,
    job: "kube-state-metrics",
    namespace: "monitoring",
    pod: pod.metadata.name,
    service: KSM_SERVICE,
    ...own,
  };
}

// One look-up of kube-state-metrics' pod per rule, not per series (15,000 pods at scale).
function hits(c: Cluster, list: [Record<string, string>, number | undefined][]): RuleHit[] {
  if (!list.length) return [];
  const target = ksm(c, {});
  return target ? list.map(([own, since]) => ({ labels: { ...target, ...own }, since })) : [];
}

// The scrape targets that go down with a node: its kubelet and its node-exporter (kube-prometheus-stack's jobs).
const NODE_TARGETS = [
  { job: "kubelet", namespace: "kube-system", service: "kube-prometheus-stack-kubelet" },
  { job: "node-exporter", namespace: "monitoring", service: "kube-prometheus-stack-prometheus-node-exporter" },
];
const ETCD = { job: "kube-etcd", namespace: "kube-system", service: "kube-prometheus-stack-kube-etcd" };

function etcdDown(c: Cluster): { pod: string; since?: number }[] {
  return c.store
    .all("pods", "kube-system")
    .filter((p) => p.metadata.labels?.component === "etcd" && cond(p, "Ready")?.status !== "True")
    .map((p) => ({ pod: p.metadata.name, since: ts(cond(p, "Ready")?.lastTransitionTime) }));
}

/** The rules, as kube-prometheus-stack ships them. */
export const RULES: AlertRule[] = [
  {
    name: "Watchdog",
    expr: "vector(1)",
    forSec: 0,
    severity: "none",
    eval: () => [{ labels: {} }],
    annotations: () => ({
      description:
        'This is an alert meant to ensure that the entire alerting pipeline is functional.\nThis alert is always firing, therefore it should always be firing in Alertmanager\nand always fire against a receiver. There are integrations with various notification\nmechanisms that send a notification when this alert is not firing. For example the\n"DeadMansSnitch" integration in PagerDuty.\n',
      runbook_url: `${RUNBOOK}/general/watchdog`,
      summary: "An alert that should always be firing to certify that Alertmanager is working properly.",
    }),
  },
  {
    name: "KubePodCrashLooping",
    forSec: 900,
    holdSec: 300,
    severity: "warning",
    expr: 'max_over_time(kube_pod_container_status_waiting_reason{job="kube-state-metrics",namespace=~".*",reason="CrashLoopBackOff"}[5m]) >= 1',
    eval: (c) =>
      hits(
        c,
        c.store.all("pods").flatMap((p) =>
          (p.status?.containerStatuses ?? [])
            .filter((s: any) => s.state?.waiting?.reason === "CrashLoopBackOff")
            .map((s: any): [Record<string, string>, number | undefined] => [
              {
                namespace: p.metadata.namespace ?? "",
                pod: p.metadata.name,
                container: s.name,
                reason: "CrashLoopBackOff",
                uid: p.metadata.uid ?? "",
              },
              ts(s.lastState?.terminated?.finishedAt),
            ]),
        ),
      ),
    annotations: (l) => ({
      description: `Pod ${l.namespace}/${l.pod} (${l.container}) is in waiting state (reason: "CrashLoopBackOff").`,
      runbook_url: `${RUNBOOK}/kubernetes/kubepodcrashlooping`,
      summary: "Pod is crash looping.",
    }),
  },
  {
    name: "KubePodNotReady",
    forSec: 900,
    severity: "warning",
    expr: 'sum by (namespace, pod, cluster) (max by (namespace, pod, cluster) (kube_pod_status_phase{job="kube-state-metrics",namespace=~".*",phase=~"Pending|Unknown|Failed"}) * on (namespace, pod, cluster) group_left (owner_kind) topk by (namespace, pod, cluster) (1, max by (namespace, pod, owner_kind, cluster) (kube_pod_owner{owner_kind!="Job"}))) > 0',
    // The sum drops every label but namespace and pod, the target's included.
    eval: (c) =>
      ksm(c, {})
        ? c.store
            .all("pods")
            .filter(
              (p) =>
                ["Pending", "Unknown", "Failed"].includes(p.status?.phase) &&
                p.metadata.ownerReferences?.[0]?.kind !== "Job",
            )
            .map((p) => ({
              labels: { namespace: p.metadata.namespace ?? "", pod: p.metadata.name },
              since: ts(cond(p, "Ready")?.lastTransitionTime),
            }))
        : [],
    annotations: (l) => ({
      description: `Pod ${l.namespace}/${l.pod} has been in a non-ready state for longer than 15 minutes.`,
      runbook_url: `${RUNBOOK}/kubernetes/kubepodnotready`,
      summary: "Pod has been in a non-ready state for more than 15 minutes.",
    }),
  },
  {
    name: "KubeDeploymentReplicasMismatch",
    forSec: 900,
    severity: "warning",
    expr: '(kube_deployment_spec_replicas{job="kube-state-metrics",namespace=~".*"} > kube_deployment_status_replicas_available{job="kube-state-metrics",namespace=~".*"}) and (changes(kube_deployment_status_replicas_updated{job="kube-state-metrics",namespace=~".*"}[10m]) == 0)',
    eval: (c) =>
      hits(
        c,
        c.store
          .all("deployments")
          .filter((d) => (d.spec?.replicas ?? 1) > (d.status?.availableReplicas ?? 0))
          .map((d): [Record<string, string>, number | undefined] => [
            { namespace: d.metadata.namespace ?? "", deployment: d.metadata.name },
            ts(cond(d, "Available")?.lastTransitionTime),
          ]),
      ),
    annotations: (l) => ({
      description: `Deployment ${l.namespace}/${l.deployment} has not matched the expected number of replicas for longer than 15 minutes.`,
      runbook_url: `${RUNBOOK}/kubernetes/kubedeploymentreplicasmismatch`,
      summary: "Deployment has not matched the expected number of replicas.",
    }),
  },
  {
    name: "KubeStatefulSetReplicasMismatch",
    forSec: 900,
    severity: "warning",
    expr: '(kube_statefulset_status_replicas_ready{job="kube-state-metrics",namespace=~".*"} != kube_statefulset_status_replicas{job="kube-state-metrics",namespace=~".*"}) and (changes(kube_statefulset_status_replicas_updated{job="kube-state-metrics",namespace=~".*"}[10m]) == 0)',
    eval: (c) =>
      hits(
        c,
        c.store
          .all("statefulsets")
          .filter((s) => (s.status?.readyReplicas ?? 0) !== (s.status?.replicas ?? 0))
          .map((s): [Record<string, string>, number | undefined] => [
            { namespace: s.metadata.namespace ?? "", statefulset: s.metadata.name },
            undefined,
          ]),
      ),
    annotations: (l) => ({
      description: `StatefulSet ${l.namespace}/${l.statefulset} has not matched the expected number of replicas for longer than 15 minutes.`,
      runbook_url: `${RUNBOOK}/kubernetes/kubestatefulsetreplicasmismatch`,
      summary: "StatefulSet has not matched the expected number of replicas.",
    }),
  },
  {
    name: "KubeNodeNotReady",
    forSec: 900,
    severity: "warning",
    expr: 'kube_node_status_condition{condition="Ready",job="kube-state-metrics",status="true"} == 0',
    eval: (c) =>
      hits(
        c,
        c.store
          .all("nodes")
          .filter((n) => cond(n, "Ready")?.status !== "True")
          .map((n): [Record<string, string>, number | undefined] => [
            { node: n.metadata.name, condition: "Ready", status: "true" },
            ts(cond(n, "Ready")?.lastTransitionTime),
          ]),
      ),
    annotations: (l) => ({
      description: `${l.node} has been unready for more than 15 minutes.`,
      runbook_url: `${RUNBOOK}/kubernetes/kubenodenotready`,
      summary: "Node is not ready.",
    }),
  },
  {
    name: "KubeNodeUnreachable",
    forSec: 900,
    severity: "warning",
    expr: '(kube_node_spec_taint{effect="NoSchedule",job="kube-state-metrics",key="node.kubernetes.io/unreachable"} unless ignoring (key, value) kube_node_spec_taint{job="kube-state-metrics",key=~"ToBeDeletedByClusterAutoscaler|cloud.google.com/impending-node-termination|aws-node-termination-handler/spot-itn"}) == 1',
    eval: (c) =>
      hits(
        c,
        c.store
          .all("nodes")
          .flatMap((n) =>
            (n.spec?.taints ?? [])
              .filter((t: any) => t.key === "node.kubernetes.io/unreachable" && t.effect === "NoSchedule")
              .map((t: any): [Record<string, string>, number | undefined] => [
                { node: n.metadata.name, key: t.key, effect: t.effect },
                ts(t.timeAdded),
              ]),
          ),
      ),
    annotations: (l) => ({
      description: `${l.node} is unreachable and some workloads may be rescheduled.`,
      runbook_url: `${RUNBOOK}/kubernetes/kubenodeunreachable`,
      summary: "Node is unreachable.",
    }),
  },
  {
    name: "TargetDown",
    forSec: 600,
    severity: "warning",
    expr: "100 * (count by (cluster, job, namespace, service) (up == 0) / count by (cluster, job, namespace, service) (up)) > 10",
    eval: (c) => {
      const nodes = c.store.all("nodes");
      const down = nodes.filter((n) => cond(n, "Ready")?.status !== "True");
      const out: RuleHit[] = [];
      if (down.length && (100 * down.length) / nodes.length > 10) {
        const since = Math.min(...down.map((n) => ts(cond(n, "Ready")?.lastTransitionTime) ?? Date.now()));
        for (const t of NODE_TARGETS) out.push({ labels: { ...t }, since, value: (100 * down.length) / nodes.length });
      }
      const etcd = etcdDown(c);
      if (etcd.length) out.push({ labels: { ...ETCD }, since: etcd[0]!.since, value: 100 });
      return out;
    },
    annotations: (l, v) => ({
      description: `${+(v ?? 0).toPrecision(4)}% of the ${l.job}/${l.service} targets in ${l.namespace} namespace are down.`,
      runbook_url: `${RUNBOOK}/general/targetdown`,
      summary: "One or more targets are unreachable.",
    }),
  },
  {
    name: "etcdMembersDown",
    forSec: 600,
    severity: "critical",
    expr: 'max without (endpoint) (sum without (instance) (up{job=~".*etcd.*"} == bool 0) or count without (To) (sum without (instance) (rate(etcd_network_peer_sent_failures_total{job=~".*etcd.*"}[2m])) > 0.01)) > 0',
    eval: (c) => etcdDown(c).map((e) => ({ labels: { ...ETCD, pod: e.pod }, since: e.since, value: 1 })),
    annotations: (l, v) => ({
      description: `etcd cluster "${l.job}": members are down (${v}).`,
      summary: "etcd cluster members are down.",
    }),
  },
  {
    name: "etcdInsufficientMembers",
    forSec: 180,
    severity: "critical",
    expr: 'sum without (instance) (up{job=~".*etcd.*"} == bool 1) < ((count without (instance) (up{job=~".*etcd.*"}) + 1) / 2)',
    eval: (c) => {
      const all = c.store.all("pods", "kube-system").filter((p) => p.metadata.labels?.component === "etcd").length;
      const down = etcdDown(c);
      return down.length && all - down.length < (all + 1) / 2
        ? [{ labels: { ...ETCD, endpoint: "http-metrics" }, since: down[0]!.since, value: all - down.length }]
        : [];
    },
    annotations: (l, v) => ({
      description: `etcd cluster "${l.job}": insufficient members (${v}).`,
      summary: "etcd cluster has insufficient number of members.",
    }),
  },
];
