// The object store: one resourceVersion counter, cached JSON, a bounded event history for watch resume.
import { randomUUID } from "node:crypto";
import type { K8sObject, Resource } from "./types";

// A stored change, as a watch stream sends it.
export interface WatchEvent {
  rv: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  resource: Resource;
  namespace: string;
  obj: K8sObject;
  json: string;
}

interface Entry {
  obj: K8sObject;
  json: string;
}

// A live watcher; the store pushes every matching change to it.
export interface Watcher {
  resource: Resource;
  namespace?: string;
  push(ev: WatchEvent): void;
}

// Watch history per resource, like the apiserver's per-resource watch cache, so frequent lease renewals
// do not push pod changes out of reach of a resuming watch.
const HISTORY: Partial<Record<Resource, number>> = { pods: 50_000, nodes: 10_000 };
const DEFAULT_HISTORY = 2_000;

function keyOf(obj: K8sObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

// Holds every served object; lists are sorted by key like etcd's range reads.
export class Store {
  rv = 1;
  // Watches with a resourceVersion older than this get 410 Gone (per resource once its history has wrapped).
  oldestRv = 1;
  private oldest = new Map<Resource, number>();
  private maps = new Map<Resource, Map<string, Entry>>();
  private sorted = new Map<Resource, string[] | null>();
  private history = new Map<Resource, WatchEvent[]>();
  private watchers = new Set<Watcher>();
  onChange: () => void = () => {};

  private map(r: Resource): Map<string, Entry> {
    let m = this.maps.get(r);
    if (!m) this.maps.set(r, (m = new Map()));
    return m;
  }

  // Loads persisted objects after a restart; history starts empty, so older watches get 410.
  load(rv: number, objects: Record<string, K8sObject[]>): void {
    for (const [r, objs] of Object.entries(objects)) {
      const m = this.map(r as Resource);
      for (const o of objs) m.set(keyOf(o), { obj: o, json: JSON.stringify(o) });
      this.sorted.set(r as Resource, null);
    }
    this.rv = rv;
    this.oldestRv = rv;
  }

  // Everything, for persistence.
  dump(): Record<string, K8sObject[]> {
    const out: Record<string, K8sObject[]> = {};
    for (const [r, m] of this.maps) out[r] = [...m.values()].map((e) => e.obj);
    return out;
  }

  get(r: Resource, name: string, namespace?: string): K8sObject | undefined {
    return this.map(r).get(namespace ? `${namespace}/${name}` : name)?.obj;
  }

  all(r: Resource, namespace?: string): K8sObject[] {
    const out: K8sObject[] = [];
    for (const e of this.map(r).values()) if (!namespace || e.obj.metadata.namespace === namespace) out.push(e.obj);
    return out;
  }

  count(r: Resource): number {
    return this.map(r).size;
  }

  // Creates or replaces an object, bumping its resourceVersion and notifying watchers; `persist: false`
  // skips the state-file save for high-frequency changes that are re-made after a restart (lease renewals).
  put(r: Resource, obj: K8sObject, persist = true): K8sObject {
    const m = this.map(r);
    const key = keyOf(obj);
    const prev = m.get(key);
    const rv = ++this.rv;
    obj.metadata.resourceVersion = String(rv);
    if (!obj.metadata.uid) obj.metadata.uid = prev?.obj.metadata.uid ?? randomUUID();
    if (!obj.metadata.creationTimestamp)
      obj.metadata.creationTimestamp =
        prev?.obj.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const json = JSON.stringify(obj);
    m.set(key, { obj, json });
    if (!prev) this.sorted.set(r, null);
    this.emit(
      { rv, type: prev ? "MODIFIED" : "ADDED", resource: r, namespace: obj.metadata.namespace ?? "", obj, json },
      persist,
    );
    return obj;
  }

  // Applies a mutation to a stored object (a copy), then stores it as a new version.
  update(
    r: Resource,
    name: string,
    namespace: string | undefined,
    fn: (o: K8sObject) => void,
    persist = true,
  ): K8sObject | undefined {
    const cur = this.get(r, name, namespace);
    if (!cur) return undefined;
    const copy = structuredClone(cur);
    fn(copy);
    return this.put(r, copy, persist);
  }

  delete(r: Resource, name: string, namespace?: string): boolean {
    const m = this.map(r);
    const key = namespace ? `${namespace}/${name}` : name;
    const prev = m.get(key);
    if (!prev) return false;
    m.delete(key);
    this.sorted.set(r, null);
    const rv = ++this.rv;
    const obj = { ...prev.obj, metadata: { ...prev.obj.metadata, resourceVersion: String(rv) } };
    this.emit({ rv, type: "DELETED", resource: r, namespace: namespace ?? "", obj, json: JSON.stringify(obj) });
    return true;
  }

  private emit(ev: WatchEvent, persist = true): void {
    let h = this.history.get(ev.resource);
    if (!h) this.history.set(ev.resource, (h = []));
    h.push(ev);
    const cap = HISTORY[ev.resource] ?? DEFAULT_HISTORY;
    // Trimmed in batches: a splice per event would move the whole history on every change.
    if (h.length > cap + (cap >> 3)) {
      const drop = h.splice(0, h.length - cap);
      this.oldest.set(ev.resource, drop[drop.length - 1]!.rv);
    }
    for (const w of this.watchers)
      if (w.resource === ev.resource && (!w.namespace || w.namespace === ev.namespace)) w.push(ev);
    if (persist) this.onChange();
  }

  // The oldest resourceVersion a watch on `r` can resume from.
  oldestFor(r: Resource): number {
    return Math.max(this.oldestRv, this.oldest.get(r) ?? 0);
  }

  // Events after `rv` for a watch resume, or null when the history no longer reaches back that far.
  since(rv: number, r: Resource, namespace?: string): WatchEvent[] | null {
    if (rv < this.oldestFor(r)) return null;
    const h = this.history.get(r) ?? [];
    let lo = 0;
    let hi = h.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (h[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return h.slice(lo).filter((e) => !namespace || e.namespace === namespace);
  }

  subscribe(w: Watcher): () => void {
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  // Keys in etcd order, cached until the key set changes, so paging is a binary search.
  sortedKeys(r: Resource): string[] {
    let keys = this.sorted.get(r);
    if (!keys) {
      keys = [...this.map(r).keys()].sort();
      this.sorted.set(r, keys);
    }
    return keys;
  }

  entry(r: Resource, key: string): Entry | undefined {
    return this.map(r).get(key);
  }
}
