// GET /api/clusters/:cluster/health/queues?range=1h|24h|14d - queues now and their stored depth series (polled)
import { withRole } from "@/server/auth/with-role";
import { db } from "@/server/db";
import { getHealth, requireCluster, WITHOUT_PODS } from "@/server/cluster/health/get-health";
import { queuesView } from "@/server/cluster/health/health-views";
import { RANGES, readSeries, type Range } from "@/server/cluster/health/queue-samples";

export const dynamic = "force-dynamic";

export const GET = withRole(
  "viewer",
  "health.read",
  async (req: Request, { params }: { params: Promise<{ cluster: string }> }) => {
    const name = decodeURIComponent((await params).cluster);
    const r = new URL(req.url).searchParams.get("range") ?? "1h";
    const range: Range = r in RANGES ? (r as Range) : "1h";
    const cluster = await requireCluster(name);
    const [h, series] = await Promise.all([
      getHealth(name, WITHOUT_PODS),
      readSeries(db(), cluster.id, range, Date.now()),
    ]);
    return Response.json({ ...queuesView(h), range, series }, { headers: { "cache-control": "no-store" } });
  },
);
