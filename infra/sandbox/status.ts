// Kubernetes `Status` bodies, shaped as a v1.28 apiserver returns them.

const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  410: "Expired",
  415: "UnsupportedMediaType",
  422: "Invalid",
  500: "InternalError",
  503: "ServiceUnavailable",
};

// An error a handler throws to answer with a Status body.
export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly reason = REASONS[code] ?? "Unknown",
  ) {
    super(message);
  }
}

// The JSON body of a failure Status.
export function statusBody(code: number, message: string, reason?: string, details?: Record<string, unknown>) {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    // An error the apiserver cannot classify (a kubelet dial error) has StatusReasonUnknown, which is omitted.
    ...((reason ?? REASONS[code] ?? "Unknown") ? { reason: reason ?? REASONS[code] ?? "Unknown" } : {}),
    ...(details ? { details } : {}),
    code,
  };
}

// The 404 a real apiserver gives for a named object that does not exist.
export function notFound(resource: string, name: string, group = ""): ApiError {
  const what = group ? `${resource}.${group}` : resource;
  return new ApiError(404, `${what} "${name}" not found`, { name, ...(group ? { group } : {}), kind: resource });
}
