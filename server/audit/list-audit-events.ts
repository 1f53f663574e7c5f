import "server-only";
import { z } from "zod";
import { parseSearchParams } from "@/server/search-params";
import { db } from "@/server/db";

// The audit log for the Audit page: filtered by actor, action, outcome and time, newest first, by pages.

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const auditFilters = z.object({
  actor: z.string().trim().min(1).max(100).optional(),
  action: z
    .string()
    .trim()
    .regex(/^[a-z0-9.-]{1,60}$/, "an action name such as run.start")
    .optional(),
  outcome: z.enum(["success", "refused", "error"]).optional(),
  from: day.optional(),
  to: day.optional(),
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional(),
});
export type AuditFilters = z.infer<typeof auditFilters>;

/** Parses URL search params; invalid values are dropped and reported, never thrown. */
export function parseAuditFilters(params: Record<string, string | string[] | undefined>): {
  filters: AuditFilters;
  invalid: string[];
} {
  return parseSearchParams(auditFilters, params);
}

/** One page of events (ids descend with time) and the id to continue before. */
export async function listAuditEvents(f: AuditFilters = {}, take = 100) {
  const rows = await db().auditEvent.findMany({
    where: {
      ...(f.actor ? { actor: f.actor } : {}),
      ...(f.action ? { action: f.action } : {}),
      ...(f.outcome ? { outcome: f.outcome } : {}),
      ...(f.before ? { id: { lt: BigInt(f.before) } } : {}),
      time: {
        ...(f.from ? { gte: new Date(`${f.from}T00:00:00Z`) } : {}),
        ...(f.to ? { lt: new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000) } : {}),
      },
    },
    orderBy: { id: "desc" },
    take: take + 1,
  });
  const page = rows.slice(0, take);
  return { events: page, next: rows.length > take ? String(page[page.length - 1]!.id) : null };
}
