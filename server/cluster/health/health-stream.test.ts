import http from "node:http";
import { Readable } from "node:stream";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { throwawayDatabase } from "@/test/throwaway-db";
import { waitFor } from "@/infra/sandbox/test-helpers";
import { HEALTH_UPDATED } from "@/server/cluster/health/health-store";
import { healthStream } from "@/server/cluster/health/health-stream";
import { setDatabaseUrl } from "@/server/db";
import { notifyHub } from "@/server/db/notify-hub";

// The health push over real HTTP: the stream a page opens, fed by pg_notify through the process's one listener.

let t: Awaited<ReturnType<typeof throwawayDatabase>>;
let pool: pg.Pool;
let server: http.Server;
let base = "";
const asked: string[] = [];

beforeAll(async () => {
  t = await throwawayDatabase();
  setDatabaseUrl(t.url);
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
  // What the route handler returns, served by node:http as Next serves a route's Response.
  server = http.createServer((req, res) => {
    const ac = new AbortController();
    res.on("close", () => ac.abort());
    const clusterId = new URL(req.url!, "http://x").searchParams.get("cluster")!;
    void healthStream({
      clusterId,
      signal: ac.signal,
      keepaliveMs: 200,
      askForHealth: async () => void asked.push(clusterId),
    }).then((r) => {
      res.writeHead(r.status, Object.fromEntries(r.headers));
      Readable.fromWeb(r.body as never).pipe(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await notifyHub().close();
  await pool?.end();
  await t?.drop();
});

/** Opens a stream as a browser's EventSource would; collects its events. */
function open(cluster: string) {
  const events: { event: string; data: string }[] = [];
  let text = "";
  let headers: http.IncomingHttpHeaders = {};
  const req = http.get(`${base}/?cluster=${cluster}`, { headers: { accept: "text/event-stream" } }, (res) => {
    headers = res.headers;
    res.setEncoding("utf8");
    res.on("data", (c: string) => {
      text += c;
      let i: number;
      while ((i = text.indexOf("\n\n")) >= 0) {
        const block = text.slice(0, i);
        text = text.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1] ?? "";
        if (event) events.push({ event, data });
      }
    });
  });
  req.on("error", () => undefined);
  return { events, headers: () => headers, close: () => req.destroy() };
}

const notify = (id: string) => pool.query(`SELECT pg_notify($1, $2)`, [HEALTH_UPDATED, id]);

test("a page's stream says open, then 'changed' for each stored reading of its cluster and nothing for others", async () => {
  const a = open("cluster-a");
  const b = open("cluster-b");
  await waitFor(
    () => a.events.some((e) => e.event === "open") && b.events.some((e) => e.event === "open"),
    "both open",
  );
  expect(a.headers()["content-type"]).toMatch(/^text\/event-stream/);
  expect(a.headers()["cache-control"]).toMatch(/no-store/);
  expect(asked).toContain("cluster-a");
  await notify("cluster-a");
  await notify("cluster-a");
  await waitFor(() => a.events.filter((e) => e.event === "changed").length === 2, "two changes on a");
  // The keepalive also keeps asking for readings while the page is open.
  await waitFor(() => asked.filter((x) => x === "cluster-b").length >= 3, "b still asked for");
  expect(b.events.filter((e) => e.event === "changed")).toEqual([]);
  a.close();
  b.close();
});

test("a closed page's stream stops listening: later notifications reach only the pages still open", async () => {
  const a = open("cluster-c");
  const b = open("cluster-c");
  await waitFor(
    () => a.events.some((e) => e.event === "open") && b.events.some((e) => e.event === "open"),
    "both open",
  );
  a.close();
  const askedBefore = asked.length;
  await waitFor(() => asked.length > askedBefore + 2, "keepalives");
  await notify("cluster-c");
  await waitFor(() => b.events.some((e) => e.event === "changed"), "b changed");
  expect(a.events.some((e) => e.event === "changed")).toBe(false);
  b.close();
  // Once both are gone their keepalives stop: nothing asks for cluster-c any more.
  await new Promise((r) => setTimeout(r, 300));
  const n = asked.filter((x) => x === "cluster-c").length;
  await new Promise((r) => setTimeout(r, 600));
  expect(asked.filter((x) => x === "cluster-c").length).toBe(n);
});
