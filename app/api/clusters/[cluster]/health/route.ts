// GET /api/clusters/:cluster/health - the overview: tiers with reasons, queues, Argo CD summary (polled)
import { errorResponse, requireRole } from "@/server/actions/safe-action";
import { getHealth } from "@/server/cluster/health/get-health";
import { overviewView } from "@/server/cluster/health/health-views";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ cluster: string }> }) {
  try {
    await requireRole("viewer", "health.read");
    const { cluster } = await params;
    return Response.json(overviewView(await getHealth(decodeURIComponent(cluster))), { headers: { "cache-control": "no-store" } });
  } catch (err) {
    return errorResponse(err);
  }
}
