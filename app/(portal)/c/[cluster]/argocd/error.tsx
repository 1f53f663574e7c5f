"use client";

import { SegmentError } from "@/components/ui/segment-error";

// This segment talks to the cluster: a failure offers a retry instead of a blank page.
export default function HealthSegmentError({ reset }: { error: Error; reset: () => void }) {
  return <SegmentError reset={reset} what="this page" source="cluster" />;
}
