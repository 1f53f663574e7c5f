// GET /api/clusters/:cluster/health/tiers/:tier?namespace=&status=&text= - one tier's nodes, problems and
// the page of its pods that matches the filters (polled)
import { withRole } from "@/server/auth/with-role";
import { NotFoundError } from "@/server/errors";
import { getHealth } from "@/server/cluster/health/get-health";
import { parsePodFilter, tierView } from "@/server/cluster/health/health-views";

export const dynamic = "force-dynamic";

export const GET = withRole(
  "viewer",
  "health.read",
  async (req: Request, { params }: { params: Promise<{ cluster: string; tier: string }> }) => {
    const { cluster, tier } = await params;
    const filter = parsePodFilter(new URL(req.url).searchParams);
    const view = tierView(await getHealth(decodeURIComponent(cluster)), tier, filter);
    if (!view) throw new NotFoundError(`No tier "${tier}".`);
    return Response.json(view, { headers: { "cache-control": "no-store" } });
  },
);
