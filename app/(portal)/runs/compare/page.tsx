import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CompareForm } from "@/components/history/compare-form";
import { RunComparisonView } from "@/components/history/run-comparison";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { requireViewer } from "@/server/auth/require-user";
import { compareRuns } from "@/server/auth/page-reads";

export const metadata: Metadata = { title: "Compare runs" };

type Props = { searchParams: Promise<{ a?: string; b?: string }> };

// Two runs side by side (?a=&b=): steps with deltas, outcomes, and the first error line that differs.
export default async function ComparePage({ searchParams }: Props) {
  const [{ a, b }] = await Promise.all([searchParams, requireViewer()]);
  const both = typeof a === "string" && typeof b === "string" && a && b;
  const cmp = both ? await compareRuns(a.trim(), b.trim()) : null;
  if (both && !cmp) notFound();
  return (
    <div className="flex flex-col gap-4">
      <header className="flex flex-col gap-1">
        <p className="text-sm text-slate-500">
          <Link href="/runs" className="hover:underline">
            Runs
          </Link>{" "}
          / compare
        </p>
        <h1 className="text-xl font-semibold">Compare two runs</h1>
      </header>
      <CompareForm a={a} b={b} />
      {cmp ? (
        <RunComparisonView cmp={cmp} />
      ) : (
        <Card>
          <EmptyState title="Pick two runs">
            Paste two run ids above (A: the good run, B: the bad one), or open a run and follow “Compare with the
            previous run of this pipeline”. Run ids are on the{" "}
            <Link className="text-sky-700 underline dark:text-sky-400" href="/runs">
              Runs
            </Link>{" "}
            page.
          </EmptyState>
        </Card>
      )}
    </div>
  );
}
