// GET /api/clusters/:cluster/health/argocd - the Argo CD applications and their problems (polled)
import { errorResponse, requireRole } from "@/server/actions/safe-action";
import { getHealth } from "@/server/cluster/health/get-health";
import { argoView } from "@/server/cluster/health/health-views";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ cluster: string }> }) {
  try {
    await requireRole("viewer", "health.read");
    return Response.json(argoView(await getHealth(decodeURIComponent((await params).cluster))), { headers: { "cache-control": "no-store" } });
  } catch (err) {
    return errorResponse(err);
  }
}
