"use client";

// A store kept outside React state for data that changes many times a second (a log stream): one version number
// tells React to re-render, at most once per animation frame (every 50 ms in a hidden tab), so a replay of
// thousands of batches does not mean thousands of renders. Used with useSyncExternalStore(subscribe, getVersion).

/** Adds version/subscribe/getVersion/changed to `fields`; mutate the fields, then call changed(). */
export function createFrameStore<T extends object>(fields: T) {
  const listeners = new Set<() => void>();
  let frame = 0;
  const store = Object.assign(fields, {
    version: 0,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getVersion: () => store.version,
    changed() {
      if (frame) return;
      const flush = () => {
        frame = 0;
        store.version++;
        listeners.forEach((l) => l());
      };
      frame =
        typeof requestAnimationFrame === "function" && !document.hidden
          ? requestAnimationFrame(flush)
          : (setTimeout(flush, 50) as unknown as number);
    },
  });
  return store;
}
