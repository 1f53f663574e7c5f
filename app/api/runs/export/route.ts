// GET /api/runs/export?<filters> - the runs list as CSV, with the same filters as the Runs page (viewer and up)
import { withRole } from "@/server/auth/with-role";
import { allRuns, parseRunFilters } from "@/server/runs/search-runs";
import { runsCsvStream } from "@/server/runs/runs-csv";

export const dynamic = "force-dynamic";

export const GET = withRole("viewer", "run.export", async (request: Request) => {
  const { filters, invalid } = parseRunFilters(Object.fromEntries(new URL(request.url).searchParams));
  if (invalid.length) return Response.json({ error: `Invalid filters: ${invalid.join("; ")}` }, { status: 400 });
  return new Response(runsCsvStream(allRuns({ ...filters, cursor: undefined })), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="runs.csv"',
      "cache-control": "no-store",
    },
  });
});
