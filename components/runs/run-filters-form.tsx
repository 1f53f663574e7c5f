import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";

// The runs list's filters as a plain GET form: the URL carries them, so a filtered view can be shared.
type Filters = { cluster?: string; pipeline?: string; status?: string; by?: string; from?: string; to?: string; q?: string; sort: string };

const PIPELINES = ["rebuild", "provision", "teardown", "verify", "reset-node"];
const STATUSES = ["queued", "running", "cancelling", "succeeded", "failed", "cancelled", "interrupted"];

export function RunFiltersForm({ filters, clusters }: { filters: Filters; clusters: string[] }) {
  return (
    <form method="get" action="/runs" className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-9 lg:items-end" aria-label="Filter runs">
      <Select label="Cluster" name="cluster" defaultValue={filters.cluster ?? ""}>
        <option value="">all</option>
        {clusters.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </Select>
      <Select label="Pipeline" name="pipeline" defaultValue={filters.pipeline ?? ""}>
        <option value="">all</option>
        {PIPELINES.map((p) => (
          <option key={p}>{p}</option>
        ))}
      </Select>
      <Select label="Status" name="status" defaultValue={filters.status ?? ""}>
        <option value="">all</option>
        {STATUSES.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </Select>
      <Field label="Requested by" name="by" defaultValue={filters.by ?? ""} />
      <Field label="From" name="from" type="date" defaultValue={filters.from ?? ""} />
      <Field label="To" name="to" type="date" defaultValue={filters.to ?? ""} />
      <Field label="Reason contains" name="q" defaultValue={filters.q ?? ""} />
      <Select label="Order" name="sort" defaultValue={filters.sort}>
        <option value="newest">newest first</option>
        <option value="oldest">oldest first</option>
      </Select>
      <div className="flex gap-2">
        <Button type="submit">Apply</Button>
        <Link href="/runs" className="self-center text-sm text-slate-600 hover:underline dark:text-slate-400">
          Clear
        </Link>
      </div>
    </form>
  );
}
