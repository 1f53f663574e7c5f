// GET /api/clusters/:cluster/health/argocd - the Argo CD applications and their problems (polled)
import { withRole } from "@/server/auth/with-role";
import { getHealth, WITHOUT_PODS } from "@/server/cluster/health/get-health";
import { argoView } from "@/server/cluster/health/health-views";

export const dynamic = "force-dynamic";

export const GET = withRole(
  "viewer",
  "health.read",
  async (_req: Request, { params }: { params: Promise<{ cluster: string }> }) => {
    return Response.json(argoView(await getHealth(decodeURIComponent((await params).cluster), WITHOUT_PODS)), {
      headers: { "cache-control": "no-store" },
    });
  },
);
