"use client";

import { useSyncExternalStore } from "react";

// One shared 1 s clock for every ticking time on a page. Its server snapshot is 0, so a server-rendered
// text never disagrees with the first client render (React's hydration error #418); the real time
// arrives right after hydration.
let now = 0;
let timer: ReturnType<typeof setInterval> | undefined;
const ticks = new Set<() => void>();

function subscribeClock(listener: () => void) {
  ticks.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      ticks.forEach((l) => l());
    }, 1000);
  }
  return () => {
    ticks.delete(listener);
    if (!ticks.size) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
const readClock = () => now;
const serverClock = () => 0;

/** The shared clock's time in ms, ticking every second; 0 during server rendering and hydration. */
export function useNow(): number {
  return useSyncExternalStore(subscribeClock, readClock, serverClock);
}
