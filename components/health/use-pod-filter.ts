"use client";

import { useEffect, useState } from "react";
import type { PodFilter } from "@/server/cluster/health/health-views";

// The pods table's filters, kept by the page (so a refresh keeps them) and sent to the server, which
// filters: `url` is the polled URL with the filters as search params, 250 ms after the last keystroke.

/** [filter, setFilter, the polled URL, whether any filter is set]. */
export function usePodFilter(base: string): [PodFilter, (f: PodFilter) => void, string, boolean] {
  const [filter, setFilter] = useState<PodFilter>({});
  const [asked, setAsked] = useState<PodFilter>({});
  useEffect(() => {
    const t = setTimeout(() => setAsked(filter), 250);
    return () => clearTimeout(t);
  }, [filter]);
  const query = new URLSearchParams(
    Object.entries(asked).filter((e): e is [string, string] => typeof e[1] === "string" && e[1].trim() !== ""),
  ).toString();
  return [filter, setFilter, query ? `${base}?${query}` : base, query !== ""];
}
