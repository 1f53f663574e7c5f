// The pipelines, defined once: ordered steps, each one infra/scripts command with fixed arguments.
// Nothing a user types reaches these argument arrays: pipeline and node come from the allow-lists below.
import type { RoleName } from "@/server/auth/roles";

export const PIPELINES = ["rebuild", "provision", "teardown", "verify", "reset-node"] as const;
export type PipelineName = (typeof PIPELINES)[number];
export const NODES = ["master", "worker-1", "worker-2", "storage", "all"] as const;
export type NodeName = (typeof NODES)[number];

export type StepDef = { key: string; title: string; script: string; args: string[] };
export type PipelineDef = {
  name: PipelineName;
  title: string;
  role: RoleName;
  /** Destroys something: the cluster's name must be typed to start it. */
  destructive: boolean;
  /** Hard deadline for the whole run. */
  deadlineMinutes: number;
  steps: (params: { node?: NodeName }) => StepDef[];
};

const PROVISION_PHASES: [string, string][] = [
  ["infra", "Terraform apply (VPC, security groups, EC2, IAM, S3, DNS)"],
  ["inventory", "Render the Ansible inventory"],
  ["os", "Ansible: OS preparation and containerd"],
  ["kubernetes", "Ansible: kubeadm init, joins and node labels"],
  ["cni", "Ansible: Calico VXLAN"],
  ["storage", "Ansible: EBS CSI driver and gp3 StorageClass"],
  ["addons", "Ansible: load balancer controller and cert-manager"],
  ["monitoring", "Ansible: kube-prometheus-stack"],
  ["gitops", "Ansible: Argo CD"],
  ["messaging", "Ansible: RabbitMQ operator, cluster and queues"],
  ["data", "Ansible: Redis, PostgreSQL and Celery Beat"],
  ["apps", "Ansible: Argo CD applications"],
  ["wait-nodes", "Wait for 4 Ready nodes"],
];

const verifySteps = (): StepDef[] => [
  { key: "check-cluster", title: "Cluster health", script: "check-cluster-health.sh", args: [] },
  { key: "check-etcd", title: "etcd health", script: "check-etcd-health.sh", args: [] },
  { key: "check-monitoring", title: "Monitoring stack", script: "check-monitoring-status.sh", args: [] },
];
const teardownSteps = (): StepDef[] => [
  { key: "cleanup", title: "Remove cluster components", script: "cleanup.sh", args: ["--yes", "--phase", "components"] },
  { key: "destroy", title: "Terraform destroy", script: "cleanup.sh", args: ["--yes", "--phase", "infra"] },
];
const provisionSteps = (): StepDef[] => [
  ...PROVISION_PHASES.map(([phase, title]) => ({ key: `provision-${phase}`, title, script: "build-cluster.sh", args: ["--yes", "--phase", phase] })),
  ...verifySteps(),
];

const defs: Record<PipelineName, PipelineDef> = {
  rebuild: {
    name: "rebuild",
    title: "Rebuild cluster",
    role: "operator",
    destructive: true,
    deadlineMinutes: 120,
    steps: () => [...teardownSteps(), ...provisionSteps()],
  },
  provision: { name: "provision", title: "Provision", role: "operator", destructive: false, deadlineMinutes: 90, steps: provisionSteps },
  teardown: { name: "teardown", title: "Tear down", role: "admin", destructive: true, deadlineMinutes: 45, steps: teardownSteps },
  verify: { name: "verify", title: "Verify", role: "operator", destructive: false, deadlineMinutes: 15, steps: verifySteps },
  "reset-node": {
    name: "reset-node",
    title: "Reset node",
    role: "admin",
    destructive: true,
    deadlineMinutes: 30,
    steps: ({ node }) => {
      if (!node) throw new Error("reset-node needs a node");
      return [{ key: "reset-node", title: `Reset ${node}`, script: "reset-node.sh", args: ["--yes", node] }];
    },
  },
};

/** The definition of an allow-listed pipeline. */
export function pipeline(name: PipelineName): PipelineDef {
  return defs[name];
}

/** True for a value on the pipeline allow-list. */
export function isPipeline(v: unknown): v is PipelineName {
  return typeof v === "string" && (PIPELINES as readonly string[]).includes(v);
}

/** True for a value on the node allow-list. */
export function isNode(v: unknown): v is NodeName {
  return typeof v === "string" && (NODES as readonly string[]).includes(v);
}
