// GET /api/metrics - the portal's metrics in the Prometheus text format (bearer PORTAL_METRICS_TOKEN; 404 when unset)
import { db } from "@/server/db";
import { env } from "@/server/env";
import { collectMetrics } from "@/server/observability/collect-metrics";
import { CONTENT_TYPE, renderExposition } from "@/server/observability/exposition";
import { metricsAccess } from "@/server/observability/metrics-auth";
import { withRequestLog } from "@/server/observability/request-log";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return withRequestLog(request, "/api/metrics", async () => {
    const access = metricsAccess(request.headers.get("authorization"), env().PORTAL_METRICS_TOKEN);
    if (access === "off")
      return new Response("Not found: metrics are off (set PORTAL_METRICS_TOKEN to enable them).\n", { status: 404 });
    if (access === "denied")
      return new Response("Unauthorized: send Authorization: Bearer <PORTAL_METRICS_TOKEN>.\n", {
        status: 401,
        headers: { "www-authenticate": 'Bearer realm="metrics"' },
      });
    const body = renderExposition(await collectMetrics(db()));
    return new Response(body, { headers: { "content-type": CONTENT_TYPE, "cache-control": "no-store" } });
  });
}
