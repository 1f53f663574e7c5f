"use client";

import { HistoryError } from "@/components/history/history-error";

// The trends page failed to load (the database was unreachable, say): a plain message and a retry.
export default function TrendsError({ reset }: { error: Error; reset: () => void }) {
  return <HistoryError reset={reset} what="run trends" />;
}
