"use client";

import { SegmentError } from "@/components/ui/segment-error";

// The compare page failed to load (the database was unreachable, say): a plain message and a retry.
export default function CompareError({ reset }: { error: Error; reset: () => void }) {
  return <SegmentError reset={reset} what="the run comparison" source="database" />;
}
