// GET /api/clusters/:cluster/health/nodes/:node - one node's conditions, instance, pods and problems (polled)
import { errorResponse, requireRole } from "@/server/actions/safe-action";
import { NotFoundError } from "@/server/errors";
import { getHealth, requireCluster } from "@/server/cluster/get-health";
import { nodeView } from "@/server/cluster/health-views";
import { resolveConnection } from "@/server/cluster/connection";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ cluster: string; node: string }> }) {
  try {
    await requireRole("viewer", "health.read");
    const p = await params;
    const name = decodeURIComponent(p.cluster);
    const node = decodeURIComponent(p.node);
    const [h, c] = await Promise.all([getHealth(name), requireCluster(name)]);
    const view = nodeView(h, node, resolveConnection(c.config).ec2.region);
    if (!view) throw new NotFoundError(`No node "${node}".`);
    return Response.json(view, { headers: { "cache-control": "no-store" } });
  } catch (err) {
    return errorResponse(err);
  }
}
