"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import type { EventRow } from "@/server/cluster/reads/events";
import { Card } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { age } from "@/lib/format";
import { eventAnchor } from "@/components/pods/pod-href";
import { cn } from "@/components/ui/cn";

// Events as `kubectl describe` lists them, newest first. The newest event of each reason carries an anchor
// (#event-BackOff) so a problem can link to it; the row a link points at is highlighted.

/** The rows; `scope` names what they are about for the empty text. */
export function EventsTable({ events, showObject = false }: { events: EventRow[]; showObject?: boolean }) {
  const anchored = new Set<string>();
  return (
    <Table>
      <thead>
        <tr>
          <Th>Type</Th>
          <Th>Reason</Th>
          {showObject ? <Th>Object</Th> : null}
          <Th>Count</Th>
          <Th>First seen</Th>
          <Th>Last seen</Th>
          <Th>From</Th>
          <Th>Message</Th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => {
          const first = !anchored.has(e.reason);
          anchored.add(e.reason);
          return (
            <tr
              key={e.id}
              id={first ? eventAnchor(e.reason) : undefined}
              data-testid="event-row"
              data-reason={e.reason}
              className={cn(
                "scroll-mt-20 target:bg-amber-100 dark:target:bg-amber-900/40",
                e.type === "Warning" && "text-amber-800 dark:text-amber-300",
              )}
            >
              <Td className="text-xs">{e.type}</Td>
              <Td className="text-xs font-medium">{e.reason}</Td>
              {showObject ? (
                <Td className="text-xs">
                  {e.object}
                  {e.fieldPath ? <span className="block text-slate-500">{e.fieldPath}</span> : null}
                </Td>
              ) : null}
              <Td className="text-xs tabular-nums">{e.count}</Td>
              <Td className="text-xs">
                <span title={e.firstSeen ?? ""}>{age(e.firstSeen)} ago</span>
              </Td>
              <Td className="text-xs">
                <span title={e.lastSeen ?? ""}>{age(e.lastSeen)} ago</span>
              </Td>
              <Td className="text-xs">{e.source || "—"}</Td>
              <Td className="text-xs whitespace-pre-wrap break-words text-slate-800 dark:text-slate-200">
                {e.message}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

async function getEvents(url: string): Promise<EventRow[]> {
  const res = await fetch(url, { headers: { accept: "application/json" }, cache: "no-store" });
  const body = (await res.json().catch(() => ({}))) as { events?: EventRow[]; error?: string };
  if (!res.ok) throw new Error(body.error ?? `The portal answered ${res.status}.`);
  return body.events ?? [];
}

/**
 * A card of the events of a node (`{ node }`), a tier (`{ tier }`) or a pod (`{ namespace, pod, uid }`), read on demand
 * and refreshed every 15 s while the tab is visible. `initial` is what the server rendered (the pod page).
 */
export function EventsCard({
  cluster,
  scope,
  initial,
  initialError,
}: {
  cluster: string;
  scope: Record<string, string>;
  initial?: EventRow[];
  initialError?: string;
}) {
  const url = `/api/clusters/${encodeURIComponent(cluster)}/events?${new URLSearchParams(scope)}`;
  const q = useQuery<EventRow[], Error>({
    queryKey: ["events", url],
    queryFn: () => getEvents(url),
    initialData: initial,
    refetchInterval: 15_000,
    refetchIntervalInBackground: false,
    retry: 1,
  });
  const events = q.data;
  const error = q.error?.message ?? (events ? null : (initialError ?? null));
  // A link to an event that has expired (the apiserver keeps an hour of them) lands on the card instead.
  useEffect(() => {
    const hash = window.location.hash.slice(1);
    if (events && hash.startsWith("event-") && !document.getElementById(hash))
      document.getElementById("events")?.scrollIntoView();
  }, [events]);
  const showObject = !("pod" in scope);
  return (
    <div id="events" className="scroll-mt-20" data-testid="events">
      <Card title={`Events${events ? ` (${events.length})` : ""}`}>
        {error ? (
          <p role="alert" className="mb-2 text-sm text-amber-700 dark:text-amber-400">
            Events could not be read: {error}
          </p>
        ) : null}
        {events?.length ? (
          <EventsTable events={events} showObject={showObject} />
        ) : events ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            No events (the cluster keeps them for an hour by default).
          </p>
        ) : error ? null : (
          <p className="text-sm text-slate-500" aria-busy="true">
            Reading events…
          </p>
        )}
      </Card>
    </div>
  );
}
