// Roles, lowest first. Shared by server checks and by the UI that hides what a role cannot do.

export const ROLES = ["viewer", "operator", "admin"] as const;
export type RoleName = (typeof ROLES)[number];

/** True when `role` is at least `required`. */
export function hasRole(role: RoleName | undefined | null, required: RoleName): boolean {
  if (!role) return false;
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
