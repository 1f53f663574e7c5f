// GET /api/healthz - is the portal up: web, database, a fresh worker heartbeat (200 or 503 with the reason; no sign-in)
import { db } from "@/server/db";
import { env } from "@/server/env";
import { cachedPortalHealth } from "@/server/observability/portal-health";
import { withRequestLog } from "@/server/observability/request-log";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return withRequestLog(request, "/api/healthz", async () => {
    const health = await cachedPortalHealth({ db: db(), staleAfterMs: env().PORTAL_STALE_AFTER_MS });
    return Response.json(health, {
      status: health.status === "ok" ? 200 : 503,
      headers: { "cache-control": "no-store" },
    });
  });
}
