import "server-only";

// The seed's 4 tiers (seed-summary.md): which nodes, namespaces, workloads and queues belong to each (which
// health sources decide a tier is said by each source's entry in server/cluster/sources/registry.ts).
// Nodes carry `growbin.app/tier` (1 | 2 | 3-4); a node without
// the label belongs to the tiers that name it.

export type TierId = "1" | "2" | "3" | "4";

export type TierDef = {
  id: TierId;
  title: string;
  summary: string;
  /** Seed node names, for nodes without the tier label. */
  nodes: string[];
  /** Whole namespaces (a workload listed by another tier wins over its namespace). */
  namespaces: string[];
  /** Workloads by namespace and controller name. */
  workloads: { namespace: string; name: string }[];
  queues: string[];
};

const w = (namespace: string, ...names: string[]) => names.map((name) => ({ namespace, name }));

export const TIERS: TierDef[] = [
  {
    id: "1",
    title: "Control plane + monitoring",
    summary: "kube-apiserver, etcd, scheduler, controller-manager; Prometheus, Grafana, Alertmanager; Argo CD",
    nodes: ["master"],
    namespaces: ["kube-system", "monitoring", "argocd", "cert-manager"],
    workloads: [
      ...w("kube-system", "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"),
      ...w(
        "monitoring",
        "prometheus-kube-prometheus-stack-prometheus",
        "kube-prometheus-stack-grafana",
        "alertmanager-kube-prometheus-stack-alertmanager",
      ),
    ],
    queues: [],
  },
  {
    id: "2",
    title: "Data plane",
    summary: "worker-1: sync API (auth, users, locations); worker-2: async workers (waste, AI, batch)",
    nodes: ["worker-1", "worker-2"],
    namespaces: ["default"],
    workloads: w(
      "default",
      "auth-service",
      "users-service",
      "locations-service",
      "waste-service",
      "ai-worker",
      "batch-worker",
    ),
    queues: [],
  },
  {
    id: "3",
    title: "Message queue",
    summary: "RabbitMQ (Cluster Operator) with q.ai, q.batch, q.api, q.sched and q.dlq",
    nodes: ["storage"],
    namespaces: ["messaging"],
    workloads: w("messaging", "rabbitmq-server", "rabbitmq-cluster-operator"),
    queues: ["q.ai", "q.batch", "q.api", "q.sched", "q.dlq"],
  },
  {
    id: "4",
    title: "Persistence",
    summary: "PostgreSQL, Redis (cache + Celery results), Celery Beat",
    nodes: ["storage"],
    namespaces: [],
    workloads: w("default", "postgres", "redis", "celery-beat"),
    queues: [],
  },
];

/** The tier by id, or undefined. */
export function findTier(id: string): TierDef | undefined {
  return TIERS.find((t) => t.id === id);
}

/** Every queue some tier expects to exist. */
export const EXPECTED_QUEUES = TIERS.flatMap((t) => t.queues);

/** The tiers a `growbin.app/tier` label names: "1", "2", "3-4" (a range). */
export function tiersOfLabel(label: string): TierId[] {
  const m = /^(\d)(?:-(\d))?$/.exec(label.trim());
  if (!m) return [];
  const from = Number(m[1]),
    to = Number(m[2] ?? m[1]);
  return TIERS.filter((t) => Number(t.id) >= from && Number(t.id) <= to).map((t) => t.id);
}

/** Whether a node belongs to a tier: by its label when it has one, else by the tier's node names. */
export function nodeInTier(node: { name: string; tierLabel: string | null }, tier: TierDef): boolean {
  return node.tierLabel ? tiersOfLabel(node.tierLabel).includes(tier.id) : tier.nodes.includes(node.name);
}

/** The tier a workload belongs to: an exact workload match first, then its namespace. */
export function tierOfWorkload(
  namespace: string,
  workload: string | undefined,
  tiers: TierDef[] = TIERS,
): TierDef | undefined {
  return (
    (workload
      ? tiers.find((t) => t.workloads.some((x) => x.namespace === namespace && x.name === workload))
      : undefined) ?? tiers.find((t) => t.namespaces.includes(namespace))
  );
}
