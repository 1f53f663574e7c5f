"use client";

import { SegmentError } from "@/components/ui/segment-error";

// The trends page failed to load (the database was unreachable, say): a plain message and a retry.
export default function TrendsError({ reset }: { error: Error; reset: () => void }) {
  return <SegmentError reset={reset} what="run trends" source="database" />;
}
