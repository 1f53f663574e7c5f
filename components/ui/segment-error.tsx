"use client";

import { Button } from "@/components/ui/button";

/** Where a segment's data comes from, for the one sentence that says what may be down. */
export type ErrorSource = "cluster" | "database";

const LIKELY: Record<ErrorSource, string> = {
  cluster: "The cluster may be unreachable for a moment.",
  database: "The database may be busy or unreachable for a moment.",
};

/** The error boundary body of a page segment: a plain message and a retry (never the raw exception). */
export function SegmentError({ reset, what, source }: { reset: () => void; what: string; source: ErrorSource }) {
  return (
    <div
      role="alert"
      className="flex flex-col items-start gap-3 rounded-lg border border-red-300 bg-red-50 p-6 dark:border-red-900 dark:bg-red-950/40"
    >
      <p className="font-medium">Could not load {what}.</p>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        The error has been logged on the server. {LIKELY[source]}
      </p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
