"use client";

import { keepPreviousData, useQuery, type UseQueryResult } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
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

const noSubscribe = () => () => undefined;

/**
 * `initial` is what the server rendered at `initialAt` (ms). While hydrating, the answer is exactly what the
 * server rendered with (its data, not fetching, no error): the query cache can already hold a newer reading or
 * be mid-fetch by then, and any difference is React's hydration error #418. The live result follows at once.
 */
export function useHealthQuery<T>(url: string, initial?: T, initialAt?: number): UseQueryResult<T, HealthFetchError> {
  const hydrated = useSyncExternalStore(noSubscribe, () => true, () => false);
  const q = useLiveQuery(url, initial, initialAt);
  if (hydrated || initial === undefined) return q;
  return { ...q, data: initial, isFetching: false, error: null, dataUpdatedAt: initialAt ?? q.dataUpdatedAt } as UseQueryResult<T, HealthFetchError>;
}

function useLiveQuery<T>(url: string, initial?: T, initialAt?: number) {
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
