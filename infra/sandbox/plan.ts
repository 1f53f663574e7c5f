// Saved plans for the sandbox's infra phase, the equivalent of `terraform plan -out` + `terraform show -json`:
// a plan lists what the infra phase would create or destroy (one aws_instance per node, addressed as in
// infra/terraform), the components the teardown's components phase would delete, and the state version
// (a digest of the infra state) it was made against. Applying a saved plan is refused with terraform's own
// "Saved plan is stale" when that state has changed since, so what was approved is exactly what runs.
import { createHash } from "node:crypto";
import type { Cluster } from "./cluster";
import { NAMESPACES } from "./seed";
import { ApiError } from "./status";

export const PLAN_ACTIONS = ["provision", "teardown", "rebuild"] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

// The saved plan file (plan.bin): what the apply reads back.
export interface SavedPlan {
  format: "growbin-sandbox-plan";
  version: 1;
  action: PlanAction;
  cluster: string;
  // The infra state the plan was made against; the apply compares it.
  stateVersion: string;
  createdAt: string;
  plan: SandboxPlanJson;
}

// The subset of terraform's plan JSON format the sandbox produces (format_version 1.2).
export interface SandboxPlanJson {
  format_version: string;
  terraform_version: string;
  applyable: boolean;
  complete: boolean;
  errored: boolean;
  resource_changes: {
    address: string;
    module_address: string;
    mode: "managed";
    type: string;
    name: string;
    index: string;
    provider_name: string;
    change: { actions: string[]; before: unknown; after: unknown };
  }[];
}

export interface Component {
  kind: string;
  namespace: string;
  name: string;
}

// A digest of the infra state: the instances that exist, their state, and the build generation. Any
// provision or teardown of the infra phase, or an instance stopped or started meanwhile, changes it.
export function stateVersion(c: Cluster): string {
  const live = c.instances
    .filter((i) => i.state !== "terminated")
    .map((i) => [i.node, i.instanceId, i.state])
    .sort((a, b) => a.join().localeCompare(b.join()));
  return createHash("sha256")
    .update(JSON.stringify({ cluster: c.config.cluster, generation: c.generation, live }))
    .digest("hex")
    .slice(0, 32);
}

const instanceAddress = (node: string) => `module.ec2.aws_instance.node["${node}"]`;

// What the components phase of a teardown deletes, from the cluster's objects: Argo CD Applications, the
// controllers, Services, the phases' namespaces and the nodes (pods and ReplicaSets go with their owners).
export function plannedComponents(c: Cluster): Component[] {
  const out: Component[] = [];
  const add = (kind: string, objs: { metadata: { name: string; namespace?: string } }[]) => {
    for (const o of objs) out.push({ kind, namespace: o.metadata.namespace ?? "", name: o.metadata.name });
  };
  add("Application", c.store.all("applications"));
  add("StatefulSet", c.store.all("statefulsets"));
  add("Deployment", c.store.all("deployments"));
  add("DaemonSet", c.store.all("daemonsets"));
  add("Service", c.store.all("services"));
  add(
    "Namespace",
    c.store.all("namespaces").filter((n) => NAMESPACES.some(([ns]) => ns === n.metadata.name)),
  );
  add("Node", c.store.all("nodes"));
  return out;
}

// Plans an action against the current state. provision creates the missing instances; teardown and rebuild
// are destroy plans (as `terraform plan -destroy`): every existing instance is deleted.
export function makePlan(
  c: Cluster,
  action: string,
  busy: string | null,
): { saved: SavedPlan; components: Component[] } {
  if (!(PLAN_ACTIONS as readonly string[]).includes(action))
    throw new ApiError(400, `unknown plan action "${action}"; use ${PLAN_ACTIONS.join(", ")}`);
  if (busy) throw new ApiError(409, `a ${busy} operation is running; plan once it has finished`);
  const destroy = action !== "provision";
  const changes: SandboxPlanJson["resource_changes"] = [];
  for (const spec of c.nodeSpecs()) {
    const inst = c.instanceFor(spec.name);
    const before = inst
      ? {
          id: inst.instanceId,
          instance_type: inst.instanceType,
          availability_zone: inst.zone,
          instance_state: inst.state,
          tags: { Name: `${c.config.cluster}-${spec.name}`, Node: spec.name },
        }
      : null;
    let actions: string[];
    if (destroy) {
      if (!inst) continue; // a destroy plan only lists what exists
      actions = ["delete"];
    } else actions = inst ? ["no-op"] : ["create"];
    const after =
      actions[0] === "delete"
        ? null
        : (before ?? {
            instance_type: spec.instanceType,
            availability_zone: spec.zone,
            tags: { Name: `${c.config.cluster}-${spec.name}`, Node: spec.name },
          });
    changes.push({
      address: instanceAddress(spec.name),
      module_address: "module.ec2",
      mode: "managed",
      type: "aws_instance",
      name: "node",
      index: spec.name,
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: { actions, before, after },
    });
  }
  const saved: SavedPlan = {
    format: "growbin-sandbox-plan",
    version: 1,
    action: action as PlanAction,
    cluster: c.config.cluster,
    stateVersion: stateVersion(c),
    createdAt: new Date().toISOString(),
    plan: {
      format_version: "1.2",
      terraform_version: "sandbox",
      applyable: true,
      complete: true,
      errored: false,
      resource_changes: changes,
    },
  };
  return { saved, components: destroy ? plannedComponents(c) : [] };
}

// Checks a saved plan handed to the infra phase of `kind` (provision or teardown) before it runs; throws
// (and so nothing runs) when it is not a plan for this, or when the state changed since it was made.
export function checkSavedPlan(c: Cluster, raw: unknown, kind: "provision" | "teardown", phase: unknown): void {
  const p = raw as Partial<SavedPlan> | null;
  if (
    !p ||
    typeof p !== "object" ||
    p.format !== "growbin-sandbox-plan" ||
    p.version !== 1 ||
    typeof p.stateVersion !== "string"
  )
    throw new ApiError(400, "not a sandbox saved plan (expected the plan.bin written by: sandbox plan --out DIR)");
  if (phase !== "infra") throw new ApiError(400, "a saved plan applies to the infra phase only (--phase infra)");
  if (p.cluster !== c.config.cluster)
    throw new ApiError(409, `the saved plan is for cluster "${p.cluster}", not "${c.config.cluster}"`);
  const wanted = kind === "provision" ? ["provision"] : ["teardown", "rebuild"];
  if (!wanted.includes(String(p.action)))
    throw new ApiError(409, `the saved plan is a ${p.action} plan; it cannot be applied by ${kind}`);
  if (p.stateVersion !== stateVersion(c))
    throw new ApiError(
      409,
      "Saved plan is stale: the given plan file can no longer be applied because the state was changed by another operation after the plan was created",
    );
}
