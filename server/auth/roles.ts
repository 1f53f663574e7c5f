// Roles, lowest first. Shared by server checks and by the UI that hides what a role cannot do.

export const ROLES = ["viewer", "operator", "admin"] as const;
export type RoleName = (typeof ROLES)[number];

/** True when `role` is at least `required`. */
export function hasRole(role: RoleName | undefined | null, required: RoleName): boolean {
  if (!role) return false;
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/**
 * The role each guarded operation needs, where it is not the pipeline's own (lib/pipelines.ts holds those:
 * teardown and reset-node are admin). Read by the server actions that enforce them and by the UI that hides
 * or disables what a role cannot do, so the two cannot disagree.
 */
export const OPERATION_ROLES = {
  /** Cancel a queued or running run. */
  "run.cancel": "operator",
  /** Kill a run's process group at once, skipping the graceful stop: it can leave Terraform state locked. */
  "run.force-kill": "admin",
  /** Argo CD Refresh and Sync. */
  "argocd.refresh": "operator",
  "argocd.sync": "operator",
  /** Sync with prune deletes every resource no longer in Git. */
  "argocd.sync.prune": "admin",
} as const satisfies Record<string, RoleName>;
export type Operation = keyof typeof OPERATION_ROLES;

/** True when `role` may perform `op`. */
export function may(role: RoleName | undefined | null, op: Operation): boolean {
  return hasRole(role, OPERATION_ROLES[op]);
}
