// GET /api/clusters/:cluster/health/tiers/:tier - one tier's nodes, pods and problems (polled)
import { errorResponse, requireRole } from "@/server/actions/safe-action";
import { NotFoundError } from "@/server/errors";
import { getHealth } from "@/server/cluster/get-health";
import { tierView } from "@/server/cluster/health-views";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ cluster: string; tier: string }> }) {
  try {
    await requireRole("viewer", "health.read");
    const { cluster, tier } = await params;
    const view = tierView(await getHealth(decodeURIComponent(cluster)), tier);
    if (!view) throw new NotFoundError(`No tier "${tier}".`);
    return Response.json(view, { headers: { "cache-control": "no-store" } });
  } catch (err) {
    return errorResponse(err);
  }
}
