import "server-only";
import { db } from "@/server/db";

// The audit log for the Audit page, newest first.
export async function listAuditEvents(take = 200) {
  return db().auditEvent.findMany({ orderBy: { time: "desc" }, take });
}
