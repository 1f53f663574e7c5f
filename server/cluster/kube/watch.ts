import "server-only";
import type http from "node:http";
import { kubeGetJson, kubeGetStream, KubeError } from "@/server/cluster/kube/kube-http";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { oneLine } from "@/server/cluster/health/with-timeout";

// A small informer on the portal's own kube transport, after client-go's Reflector (tools/cache/reflector.go):
// LIST (paged) for the items and the list's resourceVersion, then WATCH from it with bookmarks, applying ADDED,
// MODIFIED, DELETED and BOOKMARK to an in-memory map of mapped items. The apiserver ends a watch after
// timeoutSeconds: the next one resumes from the last resourceVersion seen (an event's or a bookmark's). A dropped
// connection resumes the same way after a backoff. A 410 Gone (HTTP 410, or an ERROR event whose Status has code
// 410, reason Expired/Gone: "too old resource version") means the history no longer reaches back: re-LIST.

type Meta = { name: string; namespace?: string; resourceVersion?: string };
type RawObject = { metadata: Meta };
type WatchLine = {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: RawObject & { code?: number; reason?: string; message?: string };
};

export type InformerOptions<R, T> = {
  /** The collection, e.g. /api/v1/pods. */
  path: string;
  /** Extra list/watch parameters (fieldSelector, labelSelector). */
  query?: Record<string, string>;
  /** Maps a raw object to what is kept (15,000 raw pods would cost far more than their mapped rows). */
  map: (raw: R) => T;
  /** Called after the cache changed (a list, or an event that added, changed or removed an item). */
  onChange?: (kind: "list" | "event") => void;
  /** The watch's timeoutSeconds; client-go picks minWatchTimeout (5 min) times [1, 2). */
  timeoutSeconds?: () => number;
  /** Retry delays after a failure: doubling from `minMs` to `maxMs` (client-go: 800 ms to 30 s). */
  backoff?: { minMs: number; maxMs: number };
  /** List page size (limit); 500 as client-go's pager. */
  pageSize?: number;
};

export type Informer<T> = {
  readonly path: string;
  /** Resolves after the first LIST succeeded (rejects if the informer is stopped before). */
  synced(): Promise<void>;
  hasSynced(): boolean;
  /** The mapped items, in no particular order. */
  items(): T[];
  /** How many items are cached. */
  size(): number;
  /** The last resourceVersion seen (a list's, an event's or a bookmark's). */
  resourceVersion(): string;
  /** The last failure, until the next successful list or watch event; null when healthy. */
  lastError(): string | null;
  /** How many LISTs were made (the first, plus one per 410 or failed watch). */
  lists(): number;
  /** Counts of watches opened, for tests and diagnostics. */
  watches(): number;
  stop(): void;
};

/** Deep equality of two mapped items (plain JSON data). */
const sameValue = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
const keyOf = (m: Meta) => (m.namespace ? `${m.namespace}/${m.name}` : m.name);
const defaultTimeout = () => Math.floor(300 * (1 + Math.random()));

/** A 410 Gone, as an HTTP answer or as a watch ERROR event's Status. */
export function isGone(err: unknown): boolean {
  return err instanceof GoneError || (err instanceof KubeError && err.status === 410);
}

class GoneError extends Error {}

/** Starts following a collection; `stop` ends the watch. */
export function startInformer<R extends RawObject, T>(kt: KubeTarget, o: InformerOptions<R, T>): Informer<T> {
  const cache = new Map<string, T>();
  const backoff = o.backoff ?? { minMs: 800, maxMs: 30_000 };
  const stopper = new AbortController();
  let rv = "";
  let synced = false;
  let error: string | null = null;
  let lists = 0;
  let watches = 0;
  let resolveSynced!: () => void;
  let rejectSynced!: (e: Error) => void;
  const syncedP = new Promise<void>((res, rej) => {
    resolveSynced = res;
    rejectSynced = rej;
  });
  syncedP.catch(() => undefined);

  const list = async () => {
    lists++;
    const next = new Map<string, T>();
    let cont: string | undefined;
    let listRv = "";
    do {
      const q = new URLSearchParams({
        ...o.query,
        limit: String(o.pageSize ?? 500),
        ...(cont ? { continue: cont } : {}),
      });
      const page = await kubeGetJson<{ items?: R[]; metadata?: { continue?: string; resourceVersion?: string } }>(
        kt,
        `${o.path}?${q}`,
        stopper.signal,
      );
      for (const item of page.items ?? []) next.set(keyOf(item.metadata), o.map(item));
      // Every page of a paged list is read at the first page's snapshot; the list's resourceVersion is that snapshot.
      listRv = page.metadata?.resourceVersion ?? listRv;
      cont = page.metadata?.continue || undefined;
    } while (cont);
    cache.clear();
    for (const [k, v] of next) cache.set(k, v);
    rv = listRv;
    error = null;
    if (!synced) {
      synced = true;
      resolveSynced();
    }
    o.onChange?.("list");
  };

  /** One watch until the server ends it (resolves) or it fails (throws); applies each event as it arrives. */
  const watch = async () => {
    watches++;
    const timeoutSeconds = (o.timeoutSeconds ?? defaultTimeout)();
    const q = new URLSearchParams({
      ...o.query,
      watch: "1",
      resourceVersion: rv,
      allowWatchBookmarks: "true",
      timeoutSeconds: String(timeoutSeconds),
    });
    // The server closes the watch at timeoutSeconds; a connection still open well after that is dead (a half-open
    // socket after a network cut sends nothing and never errors): abort it and resume.
    const local = new AbortController();
    const abort = () => local.abort();
    stopper.signal.addEventListener("abort", abort);
    const guard = setTimeout(abort, (timeoutSeconds + 30) * 1000);
    let res: http.IncomingMessage | undefined;
    try {
      res = await kubeGetStream(kt, `${o.path}?${q}`, local.signal, "application/json");
      let buf = "";
      for await (const chunk of res) {
        buf += (chunk as Buffer).toString("utf8");
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) apply(JSON.parse(line) as WatchLine);
        }
      }
      if (buf.trim()) apply(JSON.parse(buf) as WatchLine);
      if (local.signal.aborted && !stopper.signal.aborted)
        throw new Error(`no answer on the watch for ${timeoutSeconds + 30} s`);
    } finally {
      clearTimeout(guard);
      stopper.signal.removeEventListener("abort", abort);
      res?.destroy();
    }
  };

  const apply = (ev: WatchLine) => {
    const obj = ev.object;
    if (ev.type === "ERROR") {
      if (obj.code === 410) throw new GoneError(obj.message ?? "410 Gone");
      throw new KubeError(`${obj.code ?? "?"} ${obj.message ?? obj.reason ?? "watch error"}`, obj.code ?? 500);
    }
    if (obj?.metadata?.resourceVersion) rv = obj.metadata.resourceVersion;
    error = null;
    if (ev.type === "BOOKMARK") return;
    const key = keyOf(obj.metadata);
    if (ev.type === "DELETED") {
      if (!cache.delete(key)) return;
    } else {
      const next = o.map(obj as R);
      const prev = cache.get(key);
      // Only what is kept counts: a status write that changes none of it (a node's heartbeat, a pod's resync, an
      // event's count on a row kept as a key) prompts no new reading, and the list handed out stays the same array.
      if (prev !== undefined && sameValue(prev, next)) return;
      cache.set(key, next);
    }
    o.onChange?.("event");
  };

  const sleep = (ms: number) =>
    new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      stopper.signal.addEventListener("abort", () => (clearTimeout(t), r()), { once: true });
    });

  void (async () => {
    let delay = 0;
    let needList = true;
    while (!stopper.signal.aborted) {
      try {
        if (needList) await list();
        needList = false;
        const opened = Date.now();
        await watch();
        // The server ended the watch at its timeout: resume at once, unless it ends watches as soon as they open.
        delay = 0;
        if (Date.now() - opened < 1_000) await sleep(backoff.minMs);
      } catch (err) {
        if (stopper.signal.aborted) break;
        if (isGone(err)) {
          // Too old: the changes since `rv` are gone from the server's history. List again (at once, as client-go).
          needList = true;
          delay = 0;
          continue;
        }
        error = oneLine(err);
        // A dropped connection resumes from the last resourceVersion seen; an apiserver error answer (403, 500...)
        // is retried by listing again, as the Reflector's ListAndWatch does.
        if (err instanceof KubeError || !synced) needList = true;
        delay = Math.min(backoff.maxMs, Math.max(backoff.minMs, delay * 2));
        await sleep(delay * (0.8 + Math.random() * 0.4));
      }
    }
    if (!synced) rejectSynced(new Error("the informer was stopped before its first list"));
  })();

  return {
    path: o.path,
    synced: () => syncedP,
    hasSynced: () => synced,
    items: () => [...cache.values()],
    size: () => cache.size,
    resourceVersion: () => rv,
    lastError: () => error,
    lists: () => lists,
    watches: () => watches,
    stop: () => stopper.abort(),
  };
}
