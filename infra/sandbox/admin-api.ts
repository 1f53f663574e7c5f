// The token-protected admin endpoint the CLI drives: operations (streamed), faults, heal, load, status, stop.
import type http from "node:http";
import { readBody, sendJson, type Ctx } from "./context";
import { healFaults, injectFault } from "./faults";
import { Cancelled } from "./lifecycle";
import { checkSavedPlan, makePlan } from "./plan";
import { ApiError } from "./status";
import { summary } from "./summary";
import { resetNode, teardown } from "./teardown";
import { PHASES, type Phase } from "./types";

// Streams an operation's `sandbox:` lines, then a final `sandbox-result:` JSON line.
function stream(
  ctx: Ctx,
  res: http.ServerResponse,
  kind: string,
  body: Parameters<Ctx["lifecycle"]["start"]>[1],
): void {
  const { op, done } = ctx.lifecycle.start(kind, body);
  res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Transfer-Encoding": "chunked" });
  // Lines logged before this point (the synchronous start of the body) are replayed first.
  for (const l of op.lines) res.write(`${l}\n`);
  const off = op.listen((l) => res.write(`${l}\n`));
  void done
    .then(
      () => ({ ok: true }),
      (e) => ({
        ok: false,
        cancelled: e instanceof Cancelled,
        error: e instanceof Cancelled ? "cancelled by operator" : (e as Error).message,
      }),
    )
    .then((r) => {
      off();
      res.end(`sandbox-result: ${JSON.stringify({ ...r, state: summary(ctx) })}\n`);
    });
}

// Serves /admin/v1/*; the caller has already checked the admin token.
export async function handleAdmin(
  ctx: Ctx,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<void> {
  const path = url.pathname.replace(/^\/admin\/v1/, "");
  const method = req.method ?? "GET";
  const raw = method === "POST" ? await readBody(req) : "";
  let body: Record<string, any> = {};
  try {
    body = raw ? JSON.parse(raw) : {};
  } catch {
    throw new ApiError(400, "request body is not valid JSON");
  }
  const lc = ctx.lifecycle;
  if (method === "GET" && path === "/status") return sendJson(res, 200, summary(ctx));
  if (method === "GET" && path === "/faults") return sendJson(res, 200, ctx.cluster.faults);
  if (method === "GET" && path === "/plan")
    return sendJson(res, 200, makePlan(ctx.cluster, url.searchParams.get("action") ?? "", lc.current?.kind ?? null));
  if (method !== "POST") throw new ApiError(404, `no admin endpoint ${method} ${path}`);
  switch (path) {
    case "/provision": {
      const phase = body.phase as Phase | undefined;
      if (phase && !PHASES.includes(phase))
        throw new ApiError(400, `unknown phase "${phase}"; phases: ${PHASES.join(", ")}`);
      if (body.plan !== undefined && !lc.current) checkSavedPlan(ctx.cluster, body.plan, "provision", phase);
      return stream(ctx, res, "provision", (op) => lc.provision(op, phase));
    }
    case "/teardown": {
      const phase = body.phase;
      if (phase && phase !== "components" && phase !== "infra")
        throw new ApiError(400, `unknown teardown phase "${phase}"; use components or infra`);
      if (body.plan !== undefined && !lc.current) checkSavedPlan(ctx.cluster, body.plan, "teardown", phase);
      return stream(ctx, res, "teardown", (op) => teardown(lc, op, phase));
    }
    case "/reset-node": {
      if (!ctx.cluster.store.get("nodes", String(body.node)))
        throw new ApiError(
          404,
          `unknown node "${body.node}"; nodes: ${
            ctx.cluster.store
              .all("nodes")
              .map((n) => n.metadata.name)
              .join(", ") || "none"
          }`,
        );
      return stream(ctx, res, "reset-node", (op) => resetNode(lc, op, String(body.node)));
    }
    case "/cancel": {
      const op = lc.current;
      if (op) op.cancelled = true;
      return sendJson(res, 200, { cancelled: op?.kind ?? null });
    }
    case "/faults": {
      const f = await injectFault(ctx.cluster, ctx.queues, String(body.kind), body);
      return sendJson(res, 201, f);
    }
    case "/heal": {
      if (!body.id && !body.all) throw new ApiError(400, "heal needs a fault id or all");
      const healed = await healFaults(ctx.cluster, ctx.queues, body.all ? undefined : String(body.id));
      return sendJson(res, 200, healed);
    }
    case "/load": {
      const q = String(body.queue ?? "q.ai");
      const n = Number(body.messages ?? 100);
      if (!Number.isInteger(n) || n < 1 || n > 100_000)
        throw new ApiError(400, "--messages must be an integer from 1 to 100000");
      if (!ctx.queues.declared())
        throw new ApiError(409, "the queues do not exist; provision the messaging phase first");
      if (body.consume) return sendJson(res, 200, { queue: q, consumed: await ctx.queues.consume(q, n) });
      await ctx.queues.publish(q, n);
      return sendJson(res, 200, { queue: q, published: n });
    }
    case "/shutdown":
      sendJson(res, 200, { stopping: true });
      setTimeout(() => void ctx.stop(), 10);
      return;
    default:
      throw new ApiError(404, `no admin endpoint POST ${path}`);
  }
}
