// The pipelines a person can start, as everyone names them: the start panel, the run filters, the trends
// page, webhook messages and the CLI. Client-safe (no "server-only"): the steps, scripts and deadlines
// live in server/runs/pipelines.ts, which builds on this list.
import type { RoleName } from "@/server/auth/roles";

/** Every pipeline, in the order lists show them. */
export const PIPELINES = ["rebuild", "provision", "teardown", "verify", "reset-node"] as const;
/** One pipeline's name. */
export type PipelineName = (typeof PIPELINES)[number];
/** The nodes a node-scoped pipeline may target. */
export const NODES = ["master", "worker-1", "worker-2", "storage", "all"] as const;
/** One node on the allow-list. */
export type NodeName = (typeof NODES)[number];

/** What a person sees of a pipeline, and who may start it. */
export type PipelineInfo = {
  /** The one title used on buttons, lists and messages. */
  label: string;
  /** What the run will do, shown in the confirmation. */
  description: string;
  role: RoleName;
  /** Destroys something: the cluster's name must be typed to start it. */
  destructive: boolean;
};

/** Label, description, role and danger of each pipeline. */
export const PIPELINE_INFO: Record<PipelineName, PipelineInfo> = {
  rebuild: {
    label: "Rebuild cluster",
    description: "Tears the cluster down, provisions it again and verifies it. Everything on it is replaced.",
    role: "operator",
    destructive: true,
  },
  provision: {
    label: "Provision",
    description: "Creates whatever is missing and brings the cluster to its declared state.",
    role: "operator",
    destructive: false,
  },
  teardown: {
    label: "Tear down",
    description: "Destroys every instance and volume of the cluster. Nothing on it survives.",
    role: "admin",
    destructive: true,
  },
  verify: {
    label: "Verify",
    description: "Checks nodes, pods, queues and Argo CD without changing anything.",
    role: "operator",
    destructive: false,
  },
  "reset-node": {
    label: "Reset node",
    description: "Drains the node, wipes and rejoins it. Its pods are rescheduled elsewhere meanwhile.",
    role: "admin",
    destructive: true,
  },
};

/** The start panel's buttons, left to right; reset-node has its own node picker instead. */
export const START_BUTTONS: readonly PipelineName[] = ["rebuild", "provision", "verify", "teardown"];

/** The title of a pipeline, or the raw name for one no longer on the list (old runs). */
export function pipelineLabel(name: string): string {
  return isPipeline(name) ? PIPELINE_INFO[name].label : name;
}

/** True for a value on the pipeline allow-list. */
export function isPipeline(v: unknown): v is PipelineName {
  return typeof v === "string" && (PIPELINES as readonly string[]).includes(v);
}

/** True for a value on the node allow-list. */
export function isNode(v: unknown): v is NodeName {
  return typeof v === "string" && (NODES as readonly string[]).includes(v);
}
