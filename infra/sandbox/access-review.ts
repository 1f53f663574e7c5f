// SelfSubjectAccessReview (authorization.k8s.io/v1), which `kubectl auth can-i` posts: the same RBAC decision
// the request itself would get, for the caller. Copied from pkg/registry/authorization/selfsubjectaccessreview/rest.go
// and util.go (ResourceAttributesFrom / NonResourceAttributesFrom).
import type http from "node:http";
import { readBody, sendJson } from "./context";
import { authorize, type Policy, type UserInfo } from "./rbac";
import type { RequestInfo } from "./request-info";
import { ApiError } from "./status";

// The path kubectl posts to.
export const SSAR_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

type Spec = {
  resourceAttributes?: {
    namespace?: string;
    verb?: string;
    group?: string;
    version?: string;
    resource?: string;
    subresource?: string;
    name?: string;
  };
  nonResourceAttributes?: { path?: string; verb?: string };
};

// Answers a review for `user`; the caller has already authorized the create.
export async function handleAccessReview(
  policy: Policy,
  user: UserInfo,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  let body: { apiVersion?: string; kind?: string; spec?: Spec };
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    throw new ApiError(400, "the request body is not a valid SelfSubjectAccessReview");
  }
  const spec = body.spec ?? {};
  const r = spec.resourceAttributes;
  const n = spec.nonResourceAttributes;
  if (!!r === !!n)
    throw new ApiError(
      422,
      `SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`,
    );
  const info: RequestInfo = r
    ? {
        isResourceRequest: true,
        path: "",
        verb: r.verb ?? "",
        apiGroup: r.group ?? "",
        apiVersion: r.version ?? "",
        namespace: r.namespace ?? "",
        resource: r.resource ?? "",
        subresource: r.subresource ?? "",
        name: r.name ?? "",
      }
    : {
        isResourceRequest: false,
        path: n!.path ?? "",
        verb: n!.verb ?? "",
        apiGroup: "",
        apiVersion: "",
        namespace: "",
        resource: "",
        subresource: "",
        name: "",
      };
  const d = authorize(policy, user, info);
  sendJson(res, 201, {
    kind: "SelfSubjectAccessReview",
    apiVersion: "authorization.k8s.io/v1",
    metadata: { creationTimestamp: null },
    spec,
    status: { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) },
  });
}
