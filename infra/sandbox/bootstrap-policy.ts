// The bootstrap RBAC objects every kube-apiserver creates at start (poststarthook/rbac/bootstrap-roles), limited to
// the ones that decide what the sandbox's clients may do. Copied from
// plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (ClusterRoles, ClusterRoleBindings), v1.28.
import { Policy } from "./rbac";

const CLUSTER_ROLES: Record<string, object[]> = {
  "cluster-admin": [
    { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
    { nonResourceURLs: ["*"], verbs: ["*"] },
  ],
  "system:discovery": [
    {
      nonResourceURLs: [
        "/api",
        "/api/*",
        "/apis",
        "/apis/*",
        "/healthz",
        "/livez",
        "/openapi",
        "/openapi/*",
        "/readyz",
        "/version",
        "/version/",
      ],
      verbs: ["get"],
    },
  ],
  "system:public-info-viewer": [
    { nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"], verbs: ["get"] },
  ],
  "system:basic-user": [
    {
      apiGroups: ["authorization.k8s.io"],
      resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
      verbs: ["create"],
    },
  ],
  "system:monitoring": [
    {
      nonResourceURLs: [
        "/healthz",
        "/healthz/*",
        "/livez",
        "/livez/*",
        "/metrics",
        "/metrics/slis",
        "/readyz",
        "/readyz/*",
      ],
      verbs: ["get"],
    },
  ],
};

const BINDINGS: [string, string[]][] = [
  ["cluster-admin", ["system:masters"]],
  ["system:discovery", ["system:authenticated"]],
  ["system:public-info-viewer", ["system:authenticated", "system:unauthenticated"]],
  ["system:basic-user", ["system:authenticated"]],
  ["system:monitoring", ["system:monitoring"]],
];

// A policy holding the bootstrap roles and bindings; the cluster's own manifests are added to it.
export function bootstrapPolicy(): Policy {
  const p = new Policy();
  for (const [name, rules] of Object.entries(CLUSTER_ROLES))
    p.add({ kind: "ClusterRole", metadata: { name }, rules: rules as never }, "bootstrap policy");
  for (const [role, groups] of BINDINGS)
    p.add(
      {
        kind: "ClusterRoleBinding",
        metadata: { name: role },
        roleRef: { kind: "ClusterRole", name: role },
        subjects: groups.map((g) => ({ kind: "Group", name: g })),
      },
      "bootstrap policy",
    );
  return p;
}
