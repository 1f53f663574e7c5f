"use client";

import { age } from "@/lib/format";
import { useNow } from "@/components/ui/use-now";
import { formatUtc } from "@/components/ui/time";

/**
 * "3 min" (or "3 min ago" with `suffix`) since a time, ticking; the exact UTC time on hover. Until the browser's
 * clock takes over right after hydration, it counts to `at` (when the data was read), which the server and the
 * browser both know, so the two renders agree (no hydration error #418).
 */
export function Ago({
  since,
  at,
  suffix = "",
}: {
  since: string | number | null | undefined;
  at: string | number;
  suffix?: string;
}) {
  const now = useNow();
  if (since === null || since === undefined) return <>—</>;
  const ref = now || (typeof at === "number" ? at : Date.parse(at));
  return (
    <time dateTime={new Date(since).toISOString()} title={formatUtc(since)}>
      {`${age(since, ref)}${suffix}`}
    </time>
  );
}
