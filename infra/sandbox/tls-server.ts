// The sandbox's one listener: HTTPS only, shaped like kube-apiserver's secure serving.
//
// Copied from staging/src/k8s.io/apiserver/pkg/server/secure_serving.go (v1.28):
// - TLS 1.2 minimum; a client certificate is requested but not required (tls.RequestClientCert), so the
//   authenticators decide: a certificate is one way in, a bearer token another, nothing at all is anonymous.
// - IdleTimeout 90 s ("matches http.DefaultTransport keep-alive timeout") and ReadHeaderTimeout 32 s. No
//   whole-request timeout: watches and `logs -f` stay open.
// - Plain HTTP on the TLS port: Go's net/http (server.go, conn.serve) answers a TLS record header that looks
//   like an HTTP request ("GET /", "HEAD ", "POST ", "PUT /", "OPTIO") with
//   "HTTP/1.0 400 Bad Request ... Client sent an HTTP request to an HTTPS server." and closes; anything else
//   that is not TLS fails the handshake and the connection is closed.
// The apiserver also speaks HTTP/2 (ALPN h2); this server speaks HTTP/1.1 only, and clients fall back to it.
import https from "node:https";
import net from "node:net";
import type { Pki } from "./pki";

// kube-apiserver's http.Server settings, in milliseconds.
export const IDLE_TIMEOUT_MS = 90_000;
export const READ_HEADER_TIMEOUT_MS = 32_000;

const PLAIN_HTTP_REPLY = "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";
const HTTP_LIKE = new Set(["GET /", "HEAD ", "POST ", "PUT /", "OPTIO"]);

// The HTTPS server (handles requests) and the TCP front (listens, refuses plain HTTP, hands TLS on).
export function createTlsServer(pki: Pki): { https: https.Server; front: net.Server } {
  const server = https.createServer({
    key: pki.serverKey,
    cert: pki.serverCert,
    ca: pki.caCert,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: "TLSv1.2",
  });
  server.keepAliveTimeout = IDLE_TIMEOUT_MS;
  server.headersTimeout = READ_HEADER_TIMEOUT_MS;
  server.requestTimeout = 0;
  const front = net.createServer((socket) => {
    // Paused-mode reads: bytes read this way and put back with unshift() are replayed by the TLS layer when it
    // takes the socket over (TLSSocket._init receives a socket's buffered data), so TLS stays native.
    const onReadable = () => {
      const head = socket.read(5) as Buffer | null;
      if (!head) return;
      socket.off("readable", onReadable);
      socket.setTimeout(0);
      if (HTTP_LIKE.has(head.toString("latin1"))) {
        socket.end(PLAIN_HTTP_REPLY);
        return;
      }
      socket.unshift(head);
      server.emit("connection", socket);
    };
    socket.on("readable", onReadable);
    socket.on("error", () => socket.destroy());
    // A client that connects and sends nothing is dropped after the header timeout, as Go does.
    socket.setTimeout(READ_HEADER_TIMEOUT_MS, () => socket.destroy());
  });
  return { https: server, front };
}
