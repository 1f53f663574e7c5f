// The pipelines' steps: each one infra/scripts command with fixed arguments. Names, titles, roles and
// danger come from lib/pipelines.ts (client-safe, shared with the UI). Nothing a user types reaches these
// argument arrays: pipeline and node come from the allow-lists there.
import { PIPELINE_INFO, PIPELINES, type NodeName, type PipelineName } from "@/lib/pipelines";
import type { RoleName } from "@/server/auth/roles";

export { NODES, PIPELINES, isNode, isPipeline, type NodeName, type PipelineName } from "@/lib/pipelines";

/**
 * One step: a script under infra/scripts with fixed arguments. `plan: "write"` is a guarded run's plan step
 * (the worker adds `--out DIR`, stores the plan and waits for approval); `plan: "apply"` applies the
 * approved plan (the worker adds `--plan FILE`).
 */
export type StepDef = { key: string; title: string; script: string; args: string[]; plan?: "write" | "apply" };
/** What a pipeline's steps depend on: the node (reset-node), and whether the cluster requires approval. */
export type StepParams = { node?: NodeName; guarded?: boolean };
/** A pipeline as the server runs it. */
export type PipelineDef = {
  name: PipelineName;
  title: string;
  role: RoleName;
  /** Destroys something: the cluster's name must be typed to start it. */
  destructive: boolean;
  /** Hard deadline for the whole run (from each claim: a run resumed after approval gets it anew). */
  deadlineMinutes: number;
  /** On a cluster that requires approval, it starts with a plan and waits for a second person. */
  guardable: boolean;
  steps: (params: StepParams) => StepDef[];
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
// The saved plan is applied by the step whose Terraform it planned: the destroy for teardown and rebuild
// (the rebuild's provision then starts from nothing), the infra apply for provision.
const teardownSteps = (guarded = false): StepDef[] => [
  {
    key: "cleanup",
    title: "Remove cluster components",
    script: "cleanup.sh",
    args: ["--yes", "--phase", "components"],
  },
  {
    key: "destroy",
    title: "Terraform destroy",
    script: "cleanup.sh",
    args: ["--yes", "--phase", "infra"],
    ...(guarded ? { plan: "apply" as const } : {}),
  },
];
const provisionSteps = (guarded = false): StepDef[] => [
  ...PROVISION_PHASES.map(([phase, title]) => ({
    key: `provision-${phase}`,
    title,
    script: "build-cluster.sh",
    args: ["--yes", "--phase", phase],
    ...(guarded && phase === "infra" ? { plan: "apply" as const } : {}),
  })),
  ...verifySteps(),
];
const planStep = (action: "provision" | "teardown" | "rebuild"): StepDef => ({
  key: "plan",
  title: "Terraform plan, then wait for approval",
  script: "plan.sh",
  args: ["--yes", "--action", action],
  plan: "write",
});

const run: Record<PipelineName, Pick<PipelineDef, "deadlineMinutes" | "guardable" | "steps">> = {
  rebuild: {
    deadlineMinutes: 120,
    guardable: true,
    steps: ({ guarded }) => [...(guarded ? [planStep("rebuild")] : []), ...teardownSteps(guarded), ...provisionSteps()],
  },
  provision: {
    deadlineMinutes: 90,
    guardable: true,
    steps: ({ guarded }) => [...(guarded ? [planStep("provision")] : []), ...provisionSteps(guarded)],
  },
  teardown: {
    deadlineMinutes: 45,
    guardable: true,
    steps: ({ guarded }) => [...(guarded ? [planStep("teardown")] : []), ...teardownSteps(guarded)],
  },
  verify: { deadlineMinutes: 15, guardable: false, steps: verifySteps },
  "reset-node": {
    deadlineMinutes: 30,
    guardable: false,
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
