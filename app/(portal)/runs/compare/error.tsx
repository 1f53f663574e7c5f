"use client";

import { HistoryError } from "@/components/history/history-error";

// The compare page failed to load (the database was unreachable, say): a plain message and a retry.
export default function CompareError({ reset }: { error: Error; reset: () => void }) {
  return <HistoryError reset={reset} what="the run comparison" />;
}
