"use client";

import { Button } from "@/components/ui/button";

// The error boundary body for history pages: a plain message and a retry (never the raw exception).
export function HistoryError({ reset, what }: { reset: () => void; what: string }) {
  return (
    <div role="alert" className="flex flex-col items-start gap-3 rounded-lg border border-red-300 bg-red-50 p-6 dark:border-red-900 dark:bg-red-950/40">
      <p className="font-medium">Could not load {what}.</p>
      <p className="text-sm text-slate-700 dark:text-slate-300">The error has been logged on the server. The database may be busy or unreachable for a moment.</p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
