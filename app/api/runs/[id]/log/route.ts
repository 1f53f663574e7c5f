// GET /api/runs/:id/log[?step=N] - downloads a run's stored log as plain text (viewer and up)
import { withRole } from "@/server/auth/with-role";
import { getRunSnapshot } from "@/server/runs/get-run";
import { rawLogStream } from "@/server/runs/raw-log-stream";

export const dynamic = "force-dynamic";

export const GET = withRole(
  "viewer",
  "run.download-log",
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    const run = await getRunSnapshot(id);
    if (!run) return Response.json({ error: "There is no such run." }, { status: 404 });
    const stepParam = new URL(request.url).searchParams.get("step");
    if (stepParam !== null && (!/^\d{1,4}$/.test(stepParam) || !run.steps.some((s) => s.index === Number(stepParam)))) {
      return Response.json({ error: `This run has no step ${stepParam}.` }, { status: 400 });
    }
    const step = stepParam === null ? null : Number(stepParam);
    const name = `${run.cluster}-${run.pipeline}-${run.id}${step === null ? "" : `-step${step + 1}`}.log`;
    return new Response(rawLogStream(id, step), {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "content-disposition": `attachment; filename="${name}"`,
        "cache-control": "no-store",
      },
    });
  },
);
