// A webhook receiver for tests on 127.0.0.1 and a random port. Each path picks a behaviour:
// /ok answers 200, /fail answers 500, /hang never answers (until the receiver closes).
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { path: string; headers: http.IncomingHttpHeaders; body: unknown; answered: boolean };

export async function startReceiver() {
  const received: Received[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const entry: Received = { path: req.url ?? "", headers: req.headers, body: JSON.parse(text || "null"), answered: false };
      received.push(entry);
      if (req.url?.startsWith("/hang")) {
        hanging.add(res);
        return;
      }
      entry.answered = true;
      res.writeHead(req.url?.startsWith("/fail") ? 500 : 200, { "content-type": "text/plain" }).end(req.url?.startsWith("/fail") ? "boom" : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    on: (path: string) => received.filter((r) => r.path === path),
    close: async () => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
