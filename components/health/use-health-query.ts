"use client";

import {
  keepPreviousData,
  useQuery,
  useQueryClient,
  type QueryClient,
  type UseQueryResult,
} from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import { useRefreshInterval } from "@/components/health/use-refresh-interval";

// One health JSON endpoint in the React Query cache, kept current by the cluster's push stream
// (GET /api/clusters/:cluster/health/stream, server-sent events): each stored reading invalidates the
// cluster's health and events queries, which refetch in place. Structural sharing keeps every unchanged row
// the same object, so nothing re-mounts: no flicker, and scroll, filters and open dialogs stay. While the
// stream is down the query polls at the picked interval instead. The server's first render is the initial
// data; a failed fetch keeps the last data on screen (marked stale). Nothing polls in a hidden tab.

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
  const hydrated = useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
  const q = useLiveQuery(url, initial, initialAt);
  if (hydrated || initial === undefined) return q;
  return {
    ...q,
    data: initial,
    isFetching: false,
    error: null,
    dataUpdatedAt: initialAt ?? q.dataUpdatedAt,
  } as UseQueryResult<T, HealthFetchError>;
}

/** The cluster a health or events URL is about (its encoded name), or null. */
export function clusterOfUrl(url: string): string | null {
  return /^\/api\/clusters\/([^/?]+)\//.exec(url)?.[1] ?? null;
}

function useLiveQuery<T>(url: string, initial?: T, initialAt?: number) {
  const seconds = useRefreshInterval();
  const live = useHealthStream(seconds ? clusterOfUrl(url) : null);
  return useQuery<T, HealthFetchError>({
    queryKey: ["health", url],
    queryFn: () => getJson<T>(url),
    initialData: initial,
    initialDataUpdatedAt: initialAt,
    placeholderData: keepPreviousData,
    // Pushed while the stream is up; the poll is the fallback.
    refetchInterval: seconds && !live ? seconds * 1000 : false,
    refetchIntervalInBackground: false,
  });
}

// One EventSource per cluster per page, shared by every widget that shows it (reference-counted).
type Stream = {
  es: EventSource;
  refs: number;
  up: boolean;
  listeners: Set<() => void>;
  client: QueryClient;
  closeTimer?: ReturnType<typeof setTimeout>;
};
const streams = new Map<string, Stream>();

/** Refetches the active queries about `cluster` (health views and events), in place. In a hidden tab they are only
 * marked stale: the tab refetches them when it is shown again (refetchOnWindowFocus). */
function refetchCluster(client: QueryClient, cluster: string): void {
  const prefix = `/api/clusters/${cluster}/`;
  void client.invalidateQueries({
    predicate: (q) =>
      (q.queryKey[0] === "health" || q.queryKey[0] === "events") && String(q.queryKey[1]).startsWith(prefix),
    refetchType: document.visibilityState === "hidden" ? "none" : "active",
  });
}

function open(cluster: string, client: QueryClient): Stream {
  const es = new EventSource(`/api/clusters/${cluster}/health/stream`);
  const s: Stream = { es, refs: 0, up: false, listeners: new Set(), client };
  const setUp = (up: boolean) => {
    if (s.up === up) return;
    s.up = up;
    for (const l of s.listeners) l();
  };
  // "open" (also after a reconnect: changes may have been missed while down), "changed" and "resync" all refetch.
  for (const type of ["open", "changed", "resync"]) {
    es.addEventListener(type, () => {
      setUp(true);
      refetchCluster(s.client, cluster);
    });
  }
  es.addEventListener("down", () => setUp(false));
  // The browser reconnects by itself (after the server's `retry`); meanwhile the queries poll.
  es.addEventListener("error", () => setUp(false));
  return s;
}

/** Follows the cluster's stream while mounted (null: not at all); true while it is connected. */
export function useHealthStream(cluster: string | null): boolean {
  const client = useQueryClient();
  useEffect(() => {
    if (!cluster || typeof EventSource === "undefined") return;
    let s = streams.get(cluster);
    if (!s) streams.set(cluster, (s = open(cluster, client)));
    clearTimeout(s.closeTimer);
    s.refs++;
    const stream = s;
    return () => {
      // Kept a moment: a navigation between two pages of the same cluster keeps one connection.
      if (--stream.refs === 0)
        stream.closeTimer = setTimeout(() => {
          if (stream.refs) return;
          stream.es.close();
          streams.delete(cluster);
        }, 2_000);
    };
  }, [cluster, client]);
  return useSyncExternalStore(
    (cb) => {
      const s = cluster ? streams.get(cluster) : undefined;
      if (!s) return () => undefined;
      s.listeners.add(cb);
      return () => s.listeners.delete(cb);
    },
    () => (cluster ? (streams.get(cluster)?.up ?? false) : false),
    () => false,
  );
}
