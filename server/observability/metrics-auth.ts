import "server-only";
import crypto from "node:crypto";

// The bearer-token check of /api/metrics, in constant time (digests of equal length are compared).

export type MetricsAccess = "off" | "denied" | "allowed";

/** "off" when no token is configured (the route answers 404), "denied" for a wrong or missing token (401). */
export function metricsAccess(authorization: string | null, token: string | undefined): MetricsAccess {
  if (!token) return "off";
  const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
  if (!given) return "denied";
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(token).digest();
  return crypto.timingSafeEqual(a, b) ? "allowed" : "denied";
}
