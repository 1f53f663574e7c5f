"use client";

import { useSyncExternalStore } from "react";

// The polling interval the user picked (seconds; 0 = paused), shared by every widget and kept in localStorage.

const KEY = "growbin.health.interval";
export const INTERVALS = [5, 10, 30, 60, 0] as const;
const DEFAULT = 10;
const listeners = new Set<() => void>();

function read(): number {
  const v = Number(typeof window === "undefined" ? DEFAULT : (window.localStorage.getItem(KEY) ?? DEFAULT));
  return (INTERVALS as readonly number[]).includes(v) ? v : DEFAULT;
}

/** Sets the interval for every widget on the page (and later visits). */
export function setRefreshInterval(seconds: number): void {
  window.localStorage.setItem(KEY, String(seconds));
  for (const l of listeners) l();
}

/** The current interval in seconds. */
export function useRefreshInterval(): number {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    read,
    () => DEFAULT,
  );
}
