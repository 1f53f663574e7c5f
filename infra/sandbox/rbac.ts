// The RBAC authorizer, as kube-apiserver runs it with --authorization-mode=Node,RBAC (kubeadm's default).
// Copied from plugin/pkg/auth/authorizer/rbac/rbac.go and pkg/registry/rbac/validation/rule.go:
// - members of system:masters are allowed everything before RBAC is asked (authorizerfactory.NewPrivilegedGroups);
// - ClusterRoleBindings apply everywhere; RoleBindings only in their namespace, to a Role there or a ClusterRole;
// - a rule matches on verb, API group, resource or "resource/subresource" (or "*/subresource"), and resourceNames
//   when it lists any; a non-resource request matches nonResourceURLs exactly or by a trailing "*";
// - a ServiceAccount subject without a namespace means the binding's namespace.
// The Node authorizer (kubelets) has no client here, so only RBAC decides.
import fs from "node:fs";
import { loadAll } from "js-yaml";
import type { RequestInfo } from "./request-info";

// An authenticated (or anonymous) user, as user.Info.
export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
}

// One PolicyRule.
export interface Rule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}
interface Binding {
  namespace: string;
  roleRef: { kind: string; name: string };
  subjects: Subject[];
}
type Obj = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  rules?: Rule[];
  roleRef?: Binding["roleRef"];
  subjects?: Subject[];
  type?: string;
};

// The RBAC objects a cluster holds, plus the ServiceAccounts and token Secrets read with them.
export class Policy {
  readonly clusterRoles = new Map<string, Rule[]>();
  readonly roles = new Map<string, Rule[]>();
  readonly clusterRoleBindings: Binding[] = [];
  readonly roleBindings: Binding[] = [];
  readonly serviceAccounts = new Set<string>();
  readonly tokenSecrets: { namespace: string; name: string; serviceAccount: string }[] = [];

  // Adds the objects of a multi-document YAML text; `where` names it in errors.
  addYaml(text: string, where: string): void {
    for (const doc of loadAll(text) as Obj[]) if (doc) this.add(doc, where);
  }

  // Adds the objects of a YAML file.
  addFile(file: string): void {
    this.addYaml(fs.readFileSync(file, "utf8"), file);
  }

  add(o: Obj, where: string): void {
    const name = o.metadata?.name;
    const ns = o.metadata?.namespace ?? "";
    if (!name) throw new Error(`${where}: a ${o.kind ?? "document"} has no metadata.name`);
    switch (o.kind) {
      case "ClusterRole":
        this.clusterRoles.set(name, o.rules ?? []);
        break;
      case "Role":
        if (!ns) throw new Error(`${where}: Role ${name} has no namespace`);
        this.roles.set(`${ns}/${name}`, o.rules ?? []);
        break;
      case "ClusterRoleBinding":
      case "RoleBinding":
        if (!o.roleRef) throw new Error(`${where}: ${o.kind} ${name} has no roleRef`);
        if (o.kind === "RoleBinding" && !ns) throw new Error(`${where}: RoleBinding ${name} has no namespace`);
        (o.kind === "RoleBinding" ? this.roleBindings : this.clusterRoleBindings).push({
          namespace: ns,
          roleRef: o.roleRef,
          subjects: o.subjects ?? [],
        });
        break;
      case "ServiceAccount":
        this.serviceAccounts.add(`${ns || "default"}/${name}`);
        break;
      case "Secret":
        if (o.type === "kubernetes.io/service-account-token") {
          const sa = o.metadata?.annotations?.["kubernetes.io/service-account.name"];
          if (!sa)
            throw new Error(
              `${where}: Secret ${name} of type kubernetes.io/service-account-token needs the annotation kubernetes.io/service-account.name`,
            );
          this.tokenSecrets.push({ namespace: ns || "default", name, serviceAccount: sa });
        }
        break;
      default:
        // Namespaces and other kinds are not RBAC's business.
        break;
    }
  }
}

const has = (list: string[] | undefined, v: string) => !!list && (list.includes("*") || list.includes(v));

function resourceMatches(rule: Rule, combined: string, sub: string): boolean {
  return (rule.resources ?? []).some((r) => r === "*" || r === combined || (sub !== "" && r === `*/${sub}`));
}

function urlMatches(rule: Rule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (u) => u === "*" || u === path || (u.endsWith("*") && path.startsWith(u.slice(0, -1))),
  );
}

// RuleAllows from pkg/registry/rbac/validation/rule.go.
export function ruleAllows(info: RequestInfo, rule: Rule): boolean {
  if (!info.isResourceRequest) return has(rule.verbs, info.verb) && urlMatches(rule, info.path);
  const combined = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  return (
    has(rule.verbs, info.verb) &&
    has(rule.apiGroups, info.apiGroup) &&
    resourceMatches(rule, combined, info.subresource) &&
    (!rule.resourceNames?.length || rule.resourceNames.includes(info.name))
  );
}

function appliesTo(user: UserInfo, s: Subject, bindingNamespace: string): boolean {
  if (s.kind === "User") return user.name === s.name;
  if (s.kind === "Group") return user.groups.includes(s.name);
  if (s.kind === "ServiceAccount") {
    const ns = s.namespace || bindingNamespace;
    return !!ns && user.name === `system:serviceaccount:${ns}:${s.name}`;
  }
  return false;
}

// The decision and, when denied, the reason RBAC gives (missing roles), as rbac.go's ruleCheckingVisitor.
export function authorize(policy: Policy, user: UserInfo, info: RequestInfo): { allowed: boolean; reason: string } {
  if (user.groups.includes("system:masters")) return { allowed: true, reason: "" };
  const errors: string[] = [];
  const rulesOf = (ref: Binding["roleRef"], ns: string): Rule[] => {
    const rules =
      ref.kind === "ClusterRole" ? policy.clusterRoles.get(ref.name) : policy.roles.get(`${ns}/${ref.name}`);
    if (!rules)
      errors.push(
        ref.kind === "ClusterRole"
          ? `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`
          : `role.rbac.authorization.k8s.io "${ref.name}" not found`,
      );
    return rules ?? [];
  };
  const bindings = [
    ...policy.clusterRoleBindings,
    ...(info.namespace ? policy.roleBindings.filter((b) => b.namespace === info.namespace) : []),
  ];
  for (const b of bindings) {
    if (!b.subjects.some((s) => appliesTo(user, s, b.namespace))) continue;
    if (rulesOf(b.roleRef, b.namespace).some((r) => ruleAllows(info, r))) return { allowed: true, reason: "" };
  }
  // utilerrors.NewAggregate: one distinct error as is, several as "[a, b]".
  const distinct = [...new Set(errors)];
  return {
    allowed: false,
    reason: !distinct.length ? "" : distinct.length === 1 ? `RBAC: ${distinct[0]}` : `RBAC: [${distinct.join(", ")}]`,
  };
}

// The message of the apiserver's 403 (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go
// forbiddenMessage, wrapped by apierrors.NewForbidden), and the Status details it carries.
export function forbidden(
  user: UserInfo,
  info: RequestInfo,
  reason: string,
): { message: string; details: Record<string, string> } {
  let msg: string;
  if (!info.isResourceRequest) msg = `User "${user.name}" cannot ${info.verb} path "${info.path}"`;
  else {
    const res = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
    msg = info.namespace
      ? `User "${user.name}" cannot ${info.verb} resource "${res}" in API group "${info.apiGroup}" in the namespace "${info.namespace}"`
      : `User "${user.name}" cannot ${info.verb} resource "${res}" in API group "${info.apiGroup}" at the cluster scope`;
  }
  if (reason) msg = `${msg}: ${reason}`;
  // NewForbidden(GroupResource{group, resource}, name, err): "<resource>[.<group>] [\"name\"] is forbidden: ..."
  const gr =
    info.isResourceRequest && info.resource
      ? info.apiGroup
        ? `${info.resource}.${info.apiGroup}`
        : info.resource
      : "";
  const message = !gr
    ? `forbidden: ${msg}`
    : info.name
      ? `${gr} "${info.name}" is forbidden: ${msg}`
      : `${gr} is forbidden: ${msg}`;
  const details: Record<string, string> = {};
  if (info.name && gr) details.name = info.name;
  if (gr && info.apiGroup) details.group = info.apiGroup;
  if (gr) details.kind = info.resource;
  return { message, details };
}
