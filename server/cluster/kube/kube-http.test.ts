import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { KubeError, kubeGetJson, kubePatchJson } from "@/server/cluster/kube/kube-http";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";

// The keep-alive race behind "socket hang up"/ECONNRESET readings: a server closes an idle kept-alive socket at
// the moment the client sends its next request on it. A GET that died that way is retried once on a new socket;
// a write is not.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

const target = (port: number): KubeTarget => ({
  file: "test",
  server: new URL(`http://127.0.0.1:${port}`),
  tls: { rejectUnauthorized: true },
  auth: () => ({}),
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A server that answers the first request of each connection with keep-alive, then closes the connection as
// soon as a second request arrives on it, before writing anything: the idle close, at the worst moment.
async function closesAtNextRequest(): Promise<{ port: number; connections: () => number; requests: string[] }> {
  let connections = 0;
  const requests: string[] = [];
  const open = new Set<net.Socket>();
  const srv = net.createServer((sock) => {
    connections++;
    open.add(sock);
    sock.on("close", () => open.delete(sock));
    let served = false;
    let buf = "";
    sock.on("data", (d) => {
      buf += d.toString("latin1");
      if (!buf.includes("\r\n\r\n")) return;
      requests.push(`${buf.split(" ")[0]} ${served ? "stale" : "fresh"}`);
      if (served) return void sock.destroy();
      served = true;
      const body = JSON.stringify({ ok: true });
      const head = buf.split("\r\n\r\n")[0]!;
      const len = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      buf = buf.slice(head.length + 4 + len);
      sock.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
    sock.on("error", () => {});
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  closers.push(
    () =>
      new Promise((r) => {
        for (const o of open) o.destroy();
        srv.close(() => r());
      }),
  );
  return { port: (srv.address() as net.AddressInfo).port, connections: () => connections, requests };
}

describe("kept-alive sockets the server closed", () => {
  test("every GET succeeds when each reused socket is closed as the request goes out: retried once on a new socket", async () => {
    const s = await closesAtNextRequest();
    const kt = target(s.port);
    for (let i = 0; i < 10; i++)
      expect(await kubeGetJson(kt, "/api/v1/nodes", AbortSignal.timeout(5000))).toEqual({ ok: true });
    expect(s.requests.filter((r) => r === "GET stale").length).toBe(9);
    expect(s.requests.filter((r) => r === "GET fresh").length).toBe(10);
    expect(s.connections()).toBe(10);
  });

  test("a PATCH on a socket closed that way is not retried: the caller gets the error", async () => {
    const s = await closesAtNextRequest();
    const kt = target(s.port);
    await kubeGetJson(kt, "/api/v1/nodes", AbortSignal.timeout(5000));
    const err = await kubePatchJson(
      kt,
      "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/a",
      {},
      AbortSignal.timeout(5000),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(KubeError);
    expect((err as NodeJS.ErrnoException).code).toMatch(/ECONNRESET|EPIPE/);
    expect(s.requests.filter((r) => r.startsWith("PATCH"))).toEqual(["PATCH stale"]);
  });

  test("polling at exactly a server's idle timeout (no Keep-Alive hint, as Go's apiserver) gives no failed reading", async () => {
    const INTERVAL = 150;
    let connections = 0;
    // Go's http.Server closes a connection idle for IdleTimeout and sends no Keep-Alive hint; Node's own
    // keepAliveTimeout would send one (which Node's agent then obeys), so the idle close is done by hand here.
    const idle = new WeakMap<net.Socket, NodeJS.Timeout>();
    const srv = http.createServer((req, res) => {
      clearTimeout(idle.get(req.socket));
      res.on("finish", () =>
        idle.set(
          req.socket,
          setTimeout(() => req.socket.destroy(), INTERVAL),
        ),
      );
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ items: [] }));
    });
    srv.keepAliveTimeout = 0;
    srv.on("connection", () => connections++);
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    closers.push(
      () =>
        new Promise((r) => {
          srv.closeAllConnections();
          srv.close(() => r());
        }),
    );
    const kt = target((srv.address() as net.AddressInfo).port);
    const failures: string[] = [];
    for (let i = 0; i < 40; i++) {
      await kubeGetJson(kt, "/api/v1/pods", AbortSignal.timeout(5000)).catch((e: Error) => failures.push(e.message));
      await sleep(INTERVAL);
    }
    expect(failures).toEqual([]);
    // The server did close idle sockets under the client: the polls ran into its timeout.
    expect(connections).toBeGreaterThan(1);
  });
});
