// The summary of a saved plan: what `terraform show -json PLAN` (or the sandbox's equivalent) says will be
// added, changed, destroyed and replaced, plus the Kubernetes components cleanup would delete. Pure and
// client-safe: the run page, the CLI and the webhooks all use it.
// Format: https://developer.hashicorp.com/terraform/internals/json-format#plan-representation
import { z } from "zod";

// One Kubernetes (or cloud) object the components phase of cleanup.sh deletes; namespace "" when cluster-scoped.
export interface PlanComponent {
  kind: string;
  namespace: string;
  name: string;
}

// Counts for one resource type.
export interface PlanTypeCount {
  type: string;
  add: number;
  change: number;
  destroy: number;
  replace: number;
}

// What a plan will do. destroyed lists the addresses that go away, replaced ones included.
export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  byType: PlanTypeCount[];
  destroyed: string[];
  components: PlanComponent[];
}

const ACTIONS = ["no-op", "create", "read", "update", "delete", "forget"] as const;

// Only the fields the summary reads; terraform adds more (before/after values, planned_values, ...), kept loose.
const resourceChange = z.looseObject({
  address: z.string().min(1),
  mode: z.enum(["managed", "data"]),
  type: z.string().min(1),
  name: z.string(),
  change: z.looseObject({ actions: z.array(z.enum(ACTIONS)).min(1).max(2) }),
});

const planSchema = z.looseObject({
  format_version: z.string().regex(/^1\.\d+$/, "expected a 1.x plan format_version"),
  // A plan with no resources at all has no resource_changes key.
  resource_changes: z.array(resourceChange).optional(),
});

const componentsSchema = z.array(
  z.strictObject({ kind: z.string().min(1), namespace: z.string(), name: z.string().min(1) }),
);

// "resource_changes.3.change.actions.0: Invalid option..." for the first few issues.
function describe(what: string, error: z.ZodError): Error {
  const lines = error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : "";
  return new Error(`malformed ${what}: ${lines.join("; ")}${more}`);
}

type Kind = "add" | "change" | "destroy" | "replace" | null;

// The four plan actions a summary counts; reads, no-ops and forgets change no infrastructure.
function kindOf(actions: readonly string[]): Kind {
  const a = actions.join(",");
  if (a === "create") return "add";
  if (a === "update") return "change";
  if (a === "delete") return "destroy";
  if (a === "delete,create" || a === "create,delete") return "replace";
  if (a === "no-op" || a === "read" || a === "forget") return null;
  throw new Error(`malformed plan: unknown action list [${actions.join(", ")}]`);
}

// Parses a plan JSON (terraform show -json, or the sandbox's) and the components list; throws an Error naming
// the field that is wrong.
export function summarizePlan(planJson: unknown, components?: unknown): PlanSummary {
  const plan = planSchema.safeParse(planJson);
  if (!plan.success) throw describe("plan JSON", plan.error);
  const comps =
    components === undefined ? { success: true as const, data: [] } : componentsSchema.safeParse(components);
  if (!comps.success) throw describe("components list", comps.error);

  const s: PlanSummary = {
    add: 0,
    change: 0,
    destroy: 0,
    replace: 0,
    byType: [],
    destroyed: [],
    components: comps.data,
  };
  const types = new Map<string, PlanTypeCount>();
  for (const rc of plan.data.resource_changes ?? []) {
    if (rc.mode !== "managed") continue;
    const kind = kindOf(rc.change.actions);
    if (!kind) continue;
    s[kind]++;
    let t = types.get(rc.type);
    if (!t) types.set(rc.type, (t = { type: rc.type, add: 0, change: 0, destroy: 0, replace: 0 }));
    t[kind]++;
    if (kind === "destroy" || kind === "replace") s.destroyed.push(rc.address);
  }
  s.byType = [...types.values()].sort((a, b) => a.type.localeCompare(b.type));
  return s;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// A few text lines for the CLI and the webhooks, e.g.
//   Plan: 1 to add, 1 to change, 3 to destroy, 2 to replace.
//   aws_instance: 4 to destroy
//   Destroyed: aws_instance.node["master"], ...
//   Components deleted: 12 (Ingress 2, StatefulSet 4, ...)
export function formatPlanSummary(summary: PlanSummary, maxListed = 10): string[] {
  const lines = [
    `Plan: ${summary.add} to add, ${summary.change} to change, ${summary.destroy} to destroy, ${summary.replace} to replace.`,
  ];
  if (!summary.add && !summary.change && !summary.destroy && !summary.replace)
    lines[0] = "Plan: no changes to the infrastructure.";
  for (const t of summary.byType) {
    const parts = (["add", "change", "destroy", "replace"] as const).filter((k) => t[k]).map((k) => `${t[k]} to ${k}`);
    lines.push(`  ${t.type}: ${parts.join(", ")}`);
  }
  if (summary.destroyed.length) {
    const shown = summary.destroyed.slice(0, maxListed).join(", ");
    const more = summary.destroyed.length > maxListed ? ` and ${summary.destroyed.length - maxListed} more` : "";
    lines.push(`Destroyed: ${shown}${more}`);
  }
  if (summary.components.length) {
    const byKind = new Map<string, number>();
    for (const c of summary.components) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
    lines.push(
      `Components deleted: ${plural(summary.components.length, "object")} (${[...byKind].map(([k, n]) => `${k} ${n}`).join(", ")})`,
    );
  }
  return lines;
}
