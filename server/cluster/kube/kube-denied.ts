import "server-only";

// The apiserver's 401 and 403 answers, said in words an operator can act on: which identity the portal used,
// what it may not do, and what to grant (infra/kubernetes/portal-rbac.yaml). The 403 message's shape is
// kube-apiserver's forbiddenMessage (responsewriters/errors.go): `User "U" cannot VERB resource "R" in API
// group "G" in the namespace "N"` (or `at the cluster scope`), or `User "U" cannot VERB path "P"`.

const RESOURCE =
  /User "([^"]+)" cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)"| at the cluster scope)/;
const PATH = /User "([^"]+)" cannot (\S+) path "([^"]+)"/;
const RBAC_FILE = "infra/kubernetes/portal-rbac.yaml";

/** One line for a 401 or 403 Status message; null for other statuses or a message of another shape. */
export function describeDenied(status: number, message: string, kubeconfig: string): string | null {
  if (status === 401)
    return `The cluster refused the portal's credentials (401 Unauthorized): the token or client certificate in ${kubeconfig} is wrong, expired or revoked.`;
  if (status !== 403) return null;
  const r = RESOURCE.exec(message);
  if (r) {
    const [, user, verb, resource, group, ns] = r;
    const what = group ? `${resource}.${group}` : resource;
    const where = ns ? `in namespace ${ns}` : "at the cluster scope";
    return `The portal's identity ${user} may not ${verb} ${what} ${where}: grant it "${verb}" on "${resource}" (apiGroup "${group}") ${ns ? `in a Role in ${ns} or its ClusterRole` : "in its ClusterRole"} (${RBAC_FILE}).`;
  }
  const p = PATH.exec(message);
  if (p)
    return `The portal's identity ${p[1]} may not ${p[2]} ${p[3]}: grant it "${p[2]}" on nonResourceURL "${p[3]}" in its ClusterRole (${RBAC_FILE}).`;
  return null;
}
