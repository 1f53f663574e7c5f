// GET /api/clusters/:cluster/health - the overview: tiers with reasons, queues, Argo CD summary (polled)
import { withRole } from "@/server/auth/with-role";
import { getHealth, WITHOUT_PODS } from "@/server/cluster/health/get-health";
import { overviewView } from "@/server/cluster/health/health-views";

export const dynamic = "force-dynamic";

export const GET = withRole(
  "viewer",
  "health.read",
  async (_req: Request, { params }: { params: Promise<{ cluster: string }> }) => {
    const { cluster } = await params;
    return Response.json(overviewView(await getHealth(decodeURIComponent(cluster), WITHOUT_PODS)), {
      headers: { "cache-control": "no-store" },
    });
  },
);
