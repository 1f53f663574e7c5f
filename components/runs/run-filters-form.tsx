"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { lengthProblem } from "@/components/ui/human-errors";
import { PIPELINE_INFO, PIPELINES } from "@/lib/pipelines";
import { RUN_STATUS_LABELS, RUN_STATUSES } from "@/lib/run-states";

// The runs list's filters: the URL carries them, so a filtered view can be shared. Empty filters are left out
// of the URL (an empty ?cluster= once broke every sidebar link), and over-long text is stopped here with the
// same limits the server applies (server/runs/search-runs.ts), in words.
type Filters = {
  cluster?: string;
  pipeline?: string;
  status?: string;
  by?: string;
  from?: string;
  to?: string;
  q?: string;
  sort: string;
};

const LIMITS = { by: 100, q: 200 } as const;

/** The query string of a filter form: only fields with a value, and no "newest" (the default order). */
export function filterQuery(form: FormData): string {
  const q = new URLSearchParams();
  for (const [k, v] of form)
    if (typeof v === "string" && v.trim() !== "" && !(k === "sort" && v === "newest")) q.set(k, v.trim());
  return q.toString();
}

export function RunFiltersForm({ filters, clusters }: { filters: Filters; clusters: string[] }) {
  const router = useRouter();
  const [text, setText] = useState({ by: filters.by ?? "", q: filters.q ?? "" });
  const problems = {
    by: lengthProblem(text.by.trim().length, 1, LIMITS.by),
    q: lengthProblem(text.q.trim().length, 1, LIMITS.q),
  };
  return (
    <form
      method="get"
      action="/runs"
      className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-9 lg:items-end"
      aria-label="Filter runs"
      onSubmit={(e) => {
        e.preventDefault();
        if (problems.by || problems.q) return;
        const qs = filterQuery(new FormData(e.currentTarget));
        router.push(qs ? `/runs?${qs}` : "/runs");
      }}
    >
      <Select label="Cluster" name="cluster" defaultValue={filters.cluster ?? ""}>
        <option value="">all</option>
        {clusters.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </Select>
      <Select label="Pipeline" name="pipeline" defaultValue={filters.pipeline ?? ""}>
        <option value="">all</option>
        {PIPELINES.map((p) => (
          <option key={p} value={p}>
            {PIPELINE_INFO[p].label}
          </option>
        ))}
      </Select>
      <Select label="Status" name="status" defaultValue={filters.status ?? ""}>
        <option value="">all</option>
        {RUN_STATUSES.map((s) => (
          <option key={s} value={s}>
            {RUN_STATUS_LABELS[s]}
          </option>
        ))}
      </Select>
      <Field
        label="Requested by"
        name="by"
        value={text.by}
        onChange={(e) => setText({ ...text, by: e.target.value })}
        errors={problems.by ? [problems.by] : undefined}
      />
      <Field label="From" name="from" type="date" defaultValue={filters.from ?? ""} />
      <Field label="To" name="to" type="date" defaultValue={filters.to ?? ""} />
      <Field
        label="Reason contains"
        name="q"
        value={text.q}
        onChange={(e) => setText({ ...text, q: e.target.value })}
        errors={problems.q ? [problems.q] : undefined}
      />
      <Select label="Order" name="sort" defaultValue={filters.sort}>
        <option value="newest">newest first</option>
        <option value="oldest">oldest first</option>
      </Select>
      <div className="flex gap-2">
        <Button type="submit" disabled={Boolean(problems.by || problems.q)}>
          Apply
        </Button>
        <Link href="/runs" className="self-center text-sm text-slate-600 hover:underline dark:text-slate-400">
          Clear
        </Link>
      </div>
    </form>
  );
}
