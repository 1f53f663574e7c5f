import "server-only";
import { z } from "zod";
import { parseSearchParams } from "@/server/search-params";
import { Prisma } from "@/server/generated/prisma/client";
import { db } from "@/server/db";
import { redactText } from "@/server/runs/redact";
import { isCalendarDate } from "@/server/runs/calendar-date";
import { CLUSTER_NAME } from "@/server/config/clusters";
import { PIPELINES } from "@/server/runs/pipelines";
import { RUN_STATUSES } from "@/lib/run-states";

// The runs list: filters that live in the URL, keyset (cursor) pagination on (createdAt, id), and the
// SQL that the indexes serve (an EXPLAIN test holds it to that at 100,000 runs).

const day = z.string().refine(isCalendarDate, "not a date: use YYYY-MM-DD with a real month and day");

export const runFilters = z.object({
  cluster: z.string().regex(CLUSTER_NAME, "not a cluster name").optional(),
  pipeline: z.enum(PIPELINES).optional(),
  status: z.enum(RUN_STATUSES).optional(),
  by: z.string().trim().min(1).max(100).optional(),
  from: day.optional(),
  to: day.optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(["newest", "oldest"]).default("newest"),
  cursor: z.string().max(200).optional(),
});
export type RunFilters = z.infer<typeof runFilters>;

/** Parses URL search params; invalid values are dropped and reported, never thrown. */
export function parseRunFilters(params: Record<string, string | string[] | undefined>): {
  filters: RunFilters;
  invalid: string[];
} {
  return parseSearchParams(runFilters, params);
}

type Cursor = { t: Date; id: string };
const encodeCursor = (c: Cursor) => Buffer.from(`${c.t.toISOString()}|${c.id}`).toString("base64url");
function decodeCursor(s: string | undefined): Cursor | null {
  if (!s) return null;
  const [t, id] = Buffer.from(s, "base64url").toString().split("|");
  const date = new Date(t ?? "");
  return id && !Number.isNaN(date.getTime()) ? { t: date, id } : null;
}

export type RunRow = {
  id: string;
  cluster: string;
  pipeline: string;
  status: string;
  requestedBy: string;
  reason: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

/** The SQL of one page of the list (exported for the EXPLAIN test). */
export function runsPageQuery(f: RunFilters, limit: number): Prisma.Sql {
  const where: Prisma.Sql[] = [];
  if (f.cluster) where.push(Prisma.sql`r."clusterId" = (SELECT id FROM "Cluster" WHERE name = ${f.cluster})`);
  if (f.pipeline) where.push(Prisma.sql`r.pipeline = ${f.pipeline}`);
  if (f.status) where.push(Prisma.sql`r.status = ${f.status}::"RunStatus"`);
  if (f.by) where.push(Prisma.sql`r."requestedBy" = ${f.by}`);
  if (f.from) where.push(Prisma.sql`r."createdAt" >= ${new Date(`${f.from}T00:00:00Z`)}`);
  if (f.to) where.push(Prisma.sql`r."createdAt" < ${new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000)}`);
  if (f.q) where.push(Prisma.sql`r.reason ILIKE ${`%${f.q.replace(/[\\%_]/g, "\\$&")}%`}`);
  const c = decodeCursor(f.cursor);
  const newest = f.sort === "newest";
  if (c) {
    where.push(
      newest
        ? Prisma.sql`r."createdAt" <= ${c.t} AND (r."createdAt" < ${c.t} OR r.id < ${c.id})`
        : Prisma.sql`r."createdAt" >= ${c.t} AND (r."createdAt" > ${c.t} OR r.id > ${c.id})`,
    );
  }
  const cond = where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty;
  const order = newest
    ? Prisma.sql`ORDER BY r."createdAt" DESC, r.id DESC`
    : Prisma.sql`ORDER BY r."createdAt" ASC, r.id ASC`;
  return Prisma.sql`SELECT r.id, c.name AS cluster, r.pipeline, r.status::text AS status, r."requestedBy", r.reason, r."createdAt", r."startedAt", r."finishedAt"
    FROM "Run" r JOIN "Cluster" c ON c.id = r."clusterId" ${cond} ${order} LIMIT ${limit}`;
}

/** One page of runs and the cursor of the next page (null on the last page). */
export async function searchRuns(f: RunFilters, pageSize = 50): Promise<{ rows: RunRow[]; next: string | null }> {
  // Reasons are masked when stored; runs stored before that are masked here, for the list and the CSV.
  const rows = (await db().$queryRaw<RunRow[]>(runsPageQuery(f, pageSize + 1))).map((r) => ({
    ...r,
    reason: redactText(r.reason),
  }));
  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  return { rows: page, next: more && last ? encodeCursor({ t: last.createdAt, id: last.id }) : null };
}

/** Every run matching the filters, page by page (CSV export). */
export async function* allRuns(f: RunFilters): AsyncGenerator<RunRow[]> {
  let cursor: string | undefined = undefined;
  for (;;) {
    const { rows, next } = await searchRuns({ ...f, cursor }, 1000);
    if (rows.length) yield rows;
    if (!next) return;
    cursor = next;
  }
}
