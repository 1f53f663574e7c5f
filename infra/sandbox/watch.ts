// Watch streams: replay from a resourceVersion, follow live changes, bookmarks, and 410 Gone when too old.
import type http from "node:http";
import type { Ctx } from "./context";
import { parseFieldSelector, parseLabelSelector } from "./selectors";
import { statusBody } from "./status";
import { apiVersionOf, type ResourceInfo } from "./resources";
import type { WatchEvent } from "./store";
import { tableJson, tableRow, type IncludeObject } from "./tables";
import type { K8sObject, Resource } from "./types";

// Serves `?watch=true` as newline-delimited JSON events, like the apiserver's chunked watch. With `table`
// (kubectl get -w) each event's object is a one-row Table; only the first carries the column definitions,
// as the apiserver's watch encoder sets NoHeaders after the first event.
export function serveWatch(
  ctx: Ctx,
  r: { info: ResourceInfo; namespace?: string },
  q: URLSearchParams,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  table: IncludeObject | null,
): void {
  const resource: Resource = r.info.resource;
  const namespace = r.namespace;
  const kind = r.info.kind;
  const store = ctx.cluster.store;
  const label = parseLabelSelector(q.get("labelSelector"));
  const field = parseFieldSelector(q.get("fieldSelector"), resource);
  const rvParam = q.get("resourceVersion");
  if (rvParam && !/^\d+$/.test(rvParam)) {
    const b = JSON.stringify(
      statusBody(400, `invalid resource version: strconv.ParseUint: parsing "${rvParam}": invalid syntax`),
    );
    res.writeHead(400, { "Content-Type": "application/json" });
    res.end(b);
    return;
  }
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Transfer-Encoding": "chunked",
    "Cache-Control": "no-cache, private",
  });
  res.flushHeaders();
  const matches = (ev: WatchEvent) => (!label || label(ev.obj)) && (!field || field(ev.obj));
  let headers = true;
  const write = (type: string, json: string, obj?: K8sObject) => {
    if (table && obj) {
      json = tableJson(
        resource,
        [tableRow(resource, obj, json, table)],
        { resourceVersion: obj.metadata.resourceVersion },
        headers,
      );
      headers = false;
    }
    res.write(`{"type":"${type}","object":${json}}\n`);
  };
  let lastRv = store.rv;
  let closed = false;
  const buffered: WatchEvent[] = [];
  let replaying = true;
  const unsub = store.subscribe({
    resource,
    namespace,
    push: (ev) => {
      if (closed) return;
      if (replaying) return void buffered.push(ev);
      if (ev.rv <= lastRv) return;
      lastRv = ev.rv;
      if (matches(ev)) write(ev.type, ev.json, ev.obj);
    },
  });
  const finish = () => {
    if (closed) return;
    closed = true;
    unsub();
    clearInterval(bm);
    clearTimeout(timeout);
    res.end();
  };
  const apiVersion = apiVersionOf(r.info);
  // Bookmarks keep quiet watches alive and let clients resume at a recent resourceVersion.
  const bookmarks = q.get("allowWatchBookmarks") === "true";
  const bm = setInterval(
    () => {
      if (bookmarks && !closed)
        res.write(
          `{"type":"BOOKMARK","object":{"kind":"${kind}","apiVersion":"${apiVersion}","metadata":{"resourceVersion":"${lastRv}"}}}\n`,
        );
    },
    Math.max(200, Math.min(10_000, 10_000 * ctx.timeScale)),
  );
  const secs = Number(q.get("timeoutSeconds") ?? "0");
  const timeout = setTimeout(finish, secs > 0 ? secs * 1000 : 30 * 60_000);
  req.on("close", finish);
  res.on("error", finish);

  if (!rvParam || rvParam === "0") {
    // No resourceVersion: the current state as synthetic ADDED events, then changes.
    for (const o of store.all(resource, namespace)) {
      const e = store.entry(
        resource,
        o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name,
      )!;
      const ev = {
        rv: 0,
        type: "ADDED" as const,
        resource,
        namespace: o.metadata.namespace ?? "",
        obj: o,
        json: e.json,
      };
      if (matches(ev)) write("ADDED", e.json, o);
    }
    lastRv = store.rv;
  } else {
    const from = Number(rvParam);
    const events = from > store.rv ? [] : store.since(from, resource, namespace);
    if (events === null) {
      const status = statusBody(410, `too old resource version: ${from} (${store.oldestFor(resource)})`, "Expired");
      write("ERROR", JSON.stringify(status));
      finish();
      return;
    }
    for (const ev of events) if (matches(ev)) write(ev.type, ev.json, ev.obj);
    lastRv = Math.max(from, events.length ? events[events.length - 1]!.rv : from);
  }
  replaying = false;
  for (const ev of buffered)
    if (ev.rv > lastRv) {
      lastRv = ev.rv;
      if (matches(ev)) write(ev.type, ev.json, ev.obj);
    }
  buffered.length = 0;
}
