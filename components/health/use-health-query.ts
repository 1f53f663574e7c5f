"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useRefreshInterval } from "@/components/health/use-refresh-interval";

// Polls one health JSON endpoint. The server's first render is the initial data, so nothing flickers;
// a failed poll keeps the last data on screen (marked stale). Polling pauses in a hidden tab.

export class HealthFetchError extends Error {}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" }, cache: "no-store" });
  const body = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw new HealthFetchError(body.error ?? `The portal answered ${res.status}.`);
  return body;
}

/** `initial` is what the server rendered at `initialAt` (ms). */
export function useHealthQuery<T>(url: string, initial?: T, initialAt?: number) {
  const seconds = useRefreshInterval();
  return useQuery<T, HealthFetchError>({
    queryKey: ["health", url],
    queryFn: () => getJson<T>(url),
    initialData: initial,
    initialDataUpdatedAt: initialAt,
    placeholderData: keepPreviousData,
    refetchInterval: seconds ? seconds * 1000 : false,
    refetchIntervalInBackground: false,
  });
}
