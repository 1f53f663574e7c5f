// RequestInfoFactory and RBAC rule matching on their own, case by case from the upstream sources.
import { describe, expect, test } from "vitest";
import { bootstrapPolicy } from "./bootstrap-policy";
import { authorize, forbidden, Policy } from "./rbac";
import { requestInfo } from "./request-info";

const info = (method: string, url: string) => requestInfo(method, new URL(url, "https://x"));

describe("request attributes (requestinfo.go)", () => {
  test.each([
    ["GET", "/api/v1/pods", { verb: "list", resource: "pods", namespace: "", name: "" }],
    ["GET", "/api/v1/pods?watch=true", { verb: "watch" }],
    ["GET", "/api/v1/pods?watch=0", { verb: "list" }],
    [
      "GET",
      "/api/v1/namespaces/default/pods/p1/log",
      { verb: "get", resource: "pods", subresource: "log", name: "p1", namespace: "default" },
    ],
    [
      "GET",
      "/api/v1/namespaces/kube-system",
      { verb: "get", resource: "namespaces", name: "kube-system", namespace: "kube-system" },
    ],
    [
      "GET",
      "/api/v1/namespaces/messaging/services/rabbitmq:15692/proxy/metrics",
      { verb: "get", resource: "services", subresource: "proxy", name: "rabbitmq:15692" },
    ],
    ["DELETE", "/api/v1/namespaces/default/pods", { verb: "deletecollection" }],
    [
      "PATCH",
      "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/a",
      { verb: "patch", apiGroup: "argoproj.io", resource: "applications", name: "a" },
    ],
    [
      "GET",
      "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
      { verb: "list", apiGroup: "coordination.k8s.io", resource: "leases" },
    ],
  ])("%s %s", (method, url, want) => {
    expect(info(method, url)).toMatchObject({ isResourceRequest: true, ...want });
  });

  test.each(["/", "/api", "/apis", "/api/v1", "/apis/apps/v1", "/readyz", "/version"])(
    "%s is a non-resource request",
    (url) => {
      expect(info("GET", url)).toMatchObject({ isResourceRequest: false, verb: "get", path: url });
    },
  );
});

describe("RBAC (rbac.go, rule.go)", () => {
  const policy = bootstrapPolicy();
  policy.addYaml(
    `
kind: ClusterRole
metadata: { name: r }
rules:
  - { apiGroups: [""], resources: ["*/log"], verbs: [get] }
  - { apiGroups: [""], resources: [services/proxy], resourceNames: ["svc:80"], verbs: [get] }
  - { nonResourceURLs: ["/metrics/*"], verbs: [get] }
---
kind: RoleBinding
metadata: { name: b, namespace: team }
roleRef: { kind: ClusterRole, name: r }
subjects: [{ kind: ServiceAccount, name: sa }]
---
kind: ClusterRoleBinding
metadata: { name: ghost }
roleRef: { kind: ClusterRole, name: missing }
subjects: [{ kind: Group, name: g }]
`,
    "test",
  );
  const sa = { name: "system:serviceaccount:team:sa", groups: ["system:serviceaccounts", "system:authenticated"] };
  const can = (user: typeof sa, m: string, u: string) => authorize(policy, user, info(m, u)).allowed;

  test("a RoleBinding grants its ClusterRole in its namespace only; a subject without namespace means the binding's", () => {
    expect(can(sa, "GET", "/api/v1/namespaces/team/pods/p/log")).toBe(true);
    expect(can(sa, "GET", "/api/v1/namespaces/other/pods/p/log")).toBe(false);
    expect(can(sa, "GET", "/api/v1/namespaces/team/pods/p")).toBe(false);
  });

  test("resourceNames limit a proxy to service:port; nonResourceURLs match a trailing *; system:masters bypasses RBAC", () => {
    expect(can(sa, "GET", "/api/v1/namespaces/team/services/svc:80/proxy/x")).toBe(true);
    expect(can(sa, "GET", "/api/v1/namespaces/team/services/svc:81/proxy/x")).toBe(false);
    expect(can({ name: "u", groups: ["system:masters"] }, "DELETE", "/api/v1/nodes/master")).toBe(true);
    expect(can({ name: "anon", groups: ["system:unauthenticated"] }, "GET", "/livez")).toBe(true);
    expect(can({ name: "anon", groups: ["system:unauthenticated"] }, "GET", "/api")).toBe(false);
  });

  test("a binding to a missing role denies with RBAC's reason, carried into the 403 message", () => {
    const user = { name: "x", groups: ["g"] };
    const d = authorize(policy, user, info("GET", "/api/v1/nodes"));
    expect(d).toEqual({ allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "missing" not found' });
    expect(forbidden(user, info("GET", "/api/v1/nodes"), d.reason).message).toBe(
      'nodes is forbidden: User "x" cannot list resource "nodes" in API group "" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io "missing" not found',
    );
  });

  test("a bad manifest is refused naming the file and object", () => {
    expect(() =>
      new Policy().addYaml("kind: RoleBinding\nmetadata: { name: b }\nroleRef: { kind: Role, name: r }\n", "f.yaml"),
    ).toThrow("f.yaml: RoleBinding b has no namespace");
    expect(() =>
      new Policy().addYaml(
        "kind: Secret\ntype: kubernetes.io/service-account-token\nmetadata: { name: s }\n",
        "f.yaml",
      ),
    ).toThrow(/f\.yaml: Secret s .* needs the annotation kubernetes\.io\/service-account\.name/);
  });
});
