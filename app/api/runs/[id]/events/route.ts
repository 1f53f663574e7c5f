// GET /api/runs/:id/events - streams a run's log lines, step changes and status (SSE; viewer and up)
import { withRole } from "@/server/auth/with-role";
import { getRunSnapshot } from "@/server/runs/get-run";
import { runEventStream } from "@/server/runs/run-event-stream";

export const dynamic = "force-dynamic";

export const GET = withRole(
  "viewer",
  "run.watch",
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    if (!(await getRunSnapshot(id))) return Response.json({ error: "There is no such run." }, { status: 404 });
    const raw = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after") ?? "0";
    if (!/^\d{1,10}$/.test(raw))
      return Response.json({ error: "Last-Event-ID must be a line number." }, { status: 400 });
    return new Response(runEventStream(id, Number(raw)), {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
    });
  },
);
