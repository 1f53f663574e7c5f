import "server-only";
import type { RunRow } from "@/server/runs/search-runs";

// Runs as CSV (RFC 4180), streamed page by page. Every cell is quoted: a spreadsheet opened in a locale whose
// separator is ';' would otherwise split "x;=1+1" into a second cell that starts a formula. Cells that would
// themselves start a formula (after any leading spaces) are prefixed with a quote.

const HEADER = [
  "id",
  "cluster",
  "pipeline",
  "status",
  "requested_by",
  "reason",
  "created_at",
  "started_at",
  "finished_at",
  "duration_s",
];

/** Quotes one CSV cell. */
export function csvCell(v: string | number | null): string {
  let s = v === null ? "" : String(v);
  if (typeof v === "string" && /^[\s]*[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** One CSV line for a run. */
export function runCsvLine(r: RunRow): string {
  const duration =
    r.startedAt && r.finishedAt ? Math.round((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000) : null;
  return [
    r.id,
    r.cluster,
    r.pipeline,
    r.status,
    r.requestedBy,
    r.reason,
    r.createdAt.toISOString(),
    r.startedAt?.toISOString() ?? null,
    r.finishedAt?.toISOString() ?? null,
    duration,
  ]
    .map(csvCell)
    .join(",");
}

/** Streams the header and every run's line. */
export function runsCsvStream(pages: AsyncGenerator<RunRow[]>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(enc.encode(HEADER.map(csvCell).join(",") + "\r\n"));
        return;
      }
      const { value, done } = await pages.next();
      if (done) return controller.close();
      controller.enqueue(enc.encode(value.map(runCsvLine).join("\r\n") + "\r\n"));
    },
  });
}
