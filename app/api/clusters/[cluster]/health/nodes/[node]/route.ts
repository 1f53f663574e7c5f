// GET /api/clusters/:cluster/health/nodes/:node?namespace=&status=&text= - one node's conditions, instance,
// problems and the page of its pods that matches the filters (polled)
import { withRole } from "@/server/auth/with-role";
import { NotFoundError } from "@/server/errors";
import { getHealth, requireCluster } from "@/server/cluster/health/get-health";
import { nodeView, parsePodFilter } from "@/server/cluster/health/health-views";
import { ec2RegionOf } from "@/server/cluster/reads/on-demand";

export const dynamic = "force-dynamic";

export const GET = withRole(
  "viewer",
  "health.read",
  async (req: Request, { params }: { params: Promise<{ cluster: string; node: string }> }) => {
    const p = await params;
    const name = decodeURIComponent(p.cluster);
    const node = decodeURIComponent(p.node);
    const filter = parsePodFilter(new URL(req.url).searchParams);
    const [h, c] = await Promise.all([getHealth(name), requireCluster(name)]);
    const view = nodeView(h, node, ec2RegionOf(c.config), filter);
    if (!view) throw new NotFoundError(`No node "${node}".`);
    return Response.json(view, { headers: { "cache-control": "no-store" } });
  },
);
