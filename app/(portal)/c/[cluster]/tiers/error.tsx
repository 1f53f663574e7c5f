"use client";

import { SegmentError } from "@/components/ui/segment-error";

// Tier pages talk to the cluster: a failure here offers a retry instead of a blank page.
export default function TiersError({ reset }: { error: Error; reset: () => void }) {
  return <SegmentError reset={reset} what="the tier health" source="cluster" />;
}
