// The apiserver's /livez and /readyz, whose etcd check follows the etcd-unhealthy fault.
import type http from "node:http";
import type { Ctx } from "./context";

const CHECKS = [
  "ping",
  "log",
  "etcd",
  "etcd-readiness",
  "informer-sync",
  "poststarthook/start-apiextensions-controllers",
  "poststarthook/crd-informer-synced",
  "poststarthook/rbac/bootstrap-roles",
  "poststarthook/bootstrap-controller",
  "poststarthook/apiservice-registration-controller",
  "shutdown",
];

// Serves /livez, /readyz, /healthz and their per-check paths; returns false for other paths.
export function handleHealth(ctx: Ctx, res: http.ServerResponse, url: URL): boolean {
  const m = /^\/(livez|readyz|healthz)(?:\/(.+))?$/.exec(url.pathname);
  if (!m) return false;
  const endpoint = m[1]!;
  const etcdDown = ctx.cluster.faults.some((f) => f.kind === "etcd-unhealthy");
  const checks = CHECKS.filter(
    (c) => endpoint === "readyz" || !["etcd-readiness", "informer-sync", "shutdown"].includes(c),
  );
  const failed = (c: string) => etcdDown && (c === "etcd" || c === "etcd-readiness");
  const send = (status: number, text: string) => {
    res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" });
    res.end(text);
  };
  if (m[2]) {
    if (!checks.includes(m[2])) return (send(404, "404 page not found\n"), true);
    return (
      send(failed(m[2]) ? 500 : 200, failed(m[2]) ? `internal server error: ${m[2]} check failed\n` : "ok"),
      true
    );
  }
  const bad = checks.filter(failed);
  const verbose = url.searchParams.has("verbose");
  if (!bad.length && !verbose) return (send(200, "ok"), true);
  const lines = checks.map((c) => (failed(c) ? `[-]${c} failed: reason withheld` : `[+]${c} ok`));
  if (bad.length) return (send(500, `${lines.join("\n")}\n${endpoint} check failed\n`), true);
  send(200, `${lines.join("\n")}\n${endpoint} check passed\n`);
  return true;
}
