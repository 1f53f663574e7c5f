import { describe, expect, test, vi } from "vitest";
import { log } from "@/server/log";
import { withRequestLog } from "@/server/observability/request-log";

// The portal's own logs: JSON lines with the request id, and no secrets.

function capture() {
  const lines: Record<string, unknown>[] = [];
  const out = vi
    .spyOn(process.stdout, "write")
    .mockImplementation(
      (c: string | Uint8Array) => (lines.push(JSON.parse(String(c)) as Record<string, unknown>), true),
    );
  const err = vi
    .spyOn(process.stderr, "write")
    .mockImplementation(
      (c: string | Uint8Array) => (lines.push(JSON.parse(String(c)) as Record<string, unknown>), true),
    );
  return { lines, restore: () => (out.mockRestore(), err.mockRestore()) };
}

describe("structured logs", () => {
  test("every line written while handling a request carries its id, which the response echoes", async () => {
    const c = capture();
    const res = await withRequestLog(
      new Request("http://x/api/metrics", { headers: { "x-request-id": "req-12345678" } }),
      "/api/metrics",
      async () => {
        log.warn("inside the handler");
        return new Response("no", { status: 401 });
      },
    );
    c.restore();
    expect(res.headers.get("x-request-id")).toBe("req-12345678");
    expect(c.lines).toEqual([
      expect.objectContaining({ level: "warn", msg: "inside the handler", requestId: "req-12345678" }),
      expect.objectContaining({
        level: "info",
        msg: "request",
        route: "/api/metrics",
        status: 401,
        requestId: "req-12345678",
      }),
    ]);
  });

  test("a request without a sane id gets a new one; a thrown error becomes a logged 500 without its message", async () => {
    const c = capture();
    const res = await withRequestLog(new Request("http://x/", { headers: { "x-request-id": "bad id\n" } }), "/x", () =>
      Promise.reject(new Error("db at postgresql://u:hunter2@db/x down")),
    );
    c.restore();
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain("hunter2");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(c.lines)).not.toContain("hunter2");
    expect(c.lines[0]).toMatchObject({ msg: "route handler failed", requestId: res.headers.get("x-request-id") });
  });

  test("fields named like secrets are redacted, and so are passwords inside URLs", () => {
    const c = capture();
    log.info("configured", {
      token: "abc123abc123",
      webhookSecret: "https://hooks/x",
      dsn: "amqp://guest:guest@127.0.0.1:5672",
      count: 3,
    });
    c.restore();
    expect(c.lines[0]).toMatchObject({
      token: "[REDACTED]",
      webhookSecret: "[REDACTED]",
      dsn: "amqp://guest:[REDACTED]@127.0.0.1:5672",
      count: 3,
    });
  });
});
