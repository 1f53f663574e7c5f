// GET /api/clusters/:cluster/health/stream - text/event-stream: "changed" each time a new reading of the cluster is
// stored (viewer and up); the page then refetches its health queries. One database listener per web process.
import { withRole } from "@/server/auth/with-role";
import { askForHealth, requireCluster } from "@/server/cluster/health/get-health";
import { healthStream } from "@/server/cluster/health/health-stream";

export const dynamic = "force-dynamic";

export const GET = withRole(
  "viewer",
  "health.read",
  async (request: Request, { params }: { params: Promise<{ cluster: string }> }) => {
    const { cluster } = await params;
    const row = await requireCluster(decodeURIComponent(cluster));
    return healthStream({ clusterId: row.id, signal: request.signal, askForHealth: () => askForHealth(row.id) });
  },
);
