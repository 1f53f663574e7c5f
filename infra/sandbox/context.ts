// What every request handler can reach: the cluster, the running operation and the queue backend.
import type http from "node:http";
import type { Cluster } from "./cluster";
import type { Lifecycle } from "./lifecycle";
import type { QueueBackend } from "./queues";

// Shared by the HTTP handlers of one sandbox server.
export interface Ctx {
  cluster: Cluster;
  lifecycle: Lifecycle;
  queues: QueueBackend;
  timeScale: number;
  adminToken: string;
  port: number;
  // The real management API (credentials in the URL) when a broker is configured.
  rabbitmqApi?: string;
  stop(): Promise<void>;
}

// Writes a JSON response.
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const s = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(s) });
  res.end(s);
}

// Reads a request body, capped so a bad client cannot exhaust memory.
export function readBody(req: http.IncomingMessage, max = 4 << 20): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error("request body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
