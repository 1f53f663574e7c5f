import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Select } from "@/components/ui/field";
import { AuditTable } from "@/components/audit/audit-table";
import { humanFieldError } from "@/components/ui/human-errors";
import { requireAdmin } from "@/server/auth/require-user";
import { listAuditEvents } from "@/server/auth/page-reads";
import { parseAuditFilters } from "@/server/audit/list-audit-events";

export const metadata: Metadata = { title: "Audit" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// Admins read every change of state and every refusal, newest first, filtered by actor, action, outcome and
// time. Admin-only: it names who tried what (refused sign-ins included). Others get a 403.
export default async function AuditPage({ searchParams }: Props) {
  await requireAdmin();
  const { filters, invalid } = parseAuditFilters(await searchParams);
  const { events, next } = await listAuditEvents(filters);
  const nextHref = () => {
    const q = new URLSearchParams(
      Object.entries({ ...filters, before: next ?? undefined }).filter((e): e is [string, string] => Boolean(e[1])),
    );
    return `/audit?${q.toString()}`;
  };
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Audit</h1>
      <Card>
        <form
          method="get"
          action="/audit"
          aria-label="Filter audit events"
          className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end"
        >
          <Field label="Actor" name="actor" defaultValue={filters.actor ?? ""} />
          <Field label="Action" name="action" placeholder="run.start" defaultValue={filters.action ?? ""} />
          <Select label="Outcome" name="outcome" defaultValue={filters.outcome ?? ""}>
            <option value="">all</option>
            <option>success</option>
            <option>refused</option>
            <option>error</option>
          </Select>
          <Field label="From" name="from" type="date" defaultValue={filters.from ?? ""} />
          <Field label="To" name="to" type="date" defaultValue={filters.to ?? ""} />
          <div className="flex gap-2">
            <Button type="submit">Apply</Button>
            <Link href="/audit" className="self-center text-sm text-slate-600 hover:underline dark:text-slate-400">
              Clear
            </Link>
          </div>
        </form>
        {invalid.length ? (
          <p role="alert" className="mt-2 text-sm text-amber-700 dark:text-amber-400">
            Ignored:{" "}
            {invalid
              .map((i) => {
                const [k, ...m] = i.split(": ");
                return `${k}: ${humanFieldError(m.join(": "))}`;
              })
              .join("; ")}
          </p>
        ) : null}
      </Card>
      <Card>
        {events.length ? (
          <AuditTable events={events} />
        ) : (
          <EmptyState title="No audit event matches these filters">Loosen a filter, or clear them all.</EmptyState>
        )}
        {next ? (
          <Link className="mt-3 inline-block text-sm text-sky-700 hover:underline dark:text-sky-400" href={nextHref()}>
            Older events →
          </Link>
        ) : null}
      </Card>
    </div>
  );
}
