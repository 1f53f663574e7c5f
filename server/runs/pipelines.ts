// The pipelines' steps: each one infra/scripts command with fixed arguments. Names, titles, roles and
// danger come from lib/pipelines.ts (client-safe, shared with the UI). Nothing a user types reaches these
// argument arrays: pipeline and node come from the allow-lists there.
import { PIPELINE_INFO, PIPELINES, type NodeName, type PipelineName } from "@/lib/pipelines";
import type { RoleName } from "@/server/auth/roles";

export { NODES, PIPELINES, isNode, isPipeline, type NodeName, type PipelineName } from "@/lib/pipelines";

/** One step: a script under infra/scripts with fixed arguments. */
export type StepDef = { key: string; title: string; script: string; args: string[] };
/** A pipeline as the server runs it. */
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

const run: Record<PipelineName, Pick<PipelineDef, "deadlineMinutes" | "steps">> = {
  rebuild: { deadlineMinutes: 120, steps: () => [...teardownSteps(), ...provisionSteps()] },
  provision: { deadlineMinutes: 90, steps: provisionSteps },
  teardown: { deadlineMinutes: 45, steps: teardownSteps },
  verify: { deadlineMinutes: 15, steps: verifySteps },
  "reset-node": {
    deadlineMinutes: 30,
    steps: ({ node }) => {
      if (!node) throw new Error("reset-node needs a node");
      return [{ key: "reset-node", title: `Reset ${node}`, script: "reset-node.sh", args: ["--yes", node] }];
    },
  },
};
const defs = Object.fromEntries(
  PIPELINES.map((name) => {
    const { label, role, destructive } = PIPELINE_INFO[name];
    return [name, { name, title: label, role, destructive, ...run[name] }];
  }),
) as Record<PipelineName, PipelineDef>;

/** The definition of an allow-listed pipeline. */
export function pipeline(name: PipelineName): PipelineDef {
  return defs[name];
}
