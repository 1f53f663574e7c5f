// Who may cancel a run at its current point, and what the cluster is left like. Client-safe: the run page
// shows the warning before the click; server/runs/run-store.ts enforces it for every caller.
import type { RoleName } from "@/server/auth/roles";

/** The step whose start makes a cancel strand the cluster (rebuild and teardown destroy it). */
export const DESTROY_STEP_KEY = "destroy";

/** What cancelling needs: the role, and a warning to show (and require) when the cluster is left broken. */
export type CancelRequirement = { role: RoleName; warning: string | null };

/**
 * Before a rebuild or teardown has started destroying, an operator may cancel. Once its destroy step has
 * started, a cancel leaves the cluster down or partially destroyed (nothing provisions it again), so it
 * needs an admin, and the message says so.
 */
export function cancelRequirement(
  run: { pipeline: string; cluster?: string },
  steps: readonly { key: string; status: string }[],
): CancelRequirement {
  const destroy = steps.find((s) => s.key === DESTROY_STEP_KEY);
  if (!destroy || destroy.status === "pending" || destroy.status === "skipped")
    return { role: "operator", warning: null };
  const name = run.cluster ?? "the cluster";
  const left =
    run.pipeline === "rebuild"
      ? `${name} will be left down or partially destroyed: this rebuild will not provision it again`
      : `${name} will be left partially destroyed`;
  return { role: "admin", warning: `The Terraform destroy has started: cancelling needs an admin, and ${left}.` };
}
