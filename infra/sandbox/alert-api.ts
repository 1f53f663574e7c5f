// Alertmanager's v2 API behind the service proxy for monitoring/kube-prometheus-stack-alertmanager (port 9093,
// http-web): GET /api/v2/alerts (active, silenced, inhibited, unprocessed, filter, receiver), GET /api/v2/status,
// GET/POST /api/v2/silences, GET/DELETE /api/v2/silence/{id}. Shapes and errors as prometheus/alertmanager answers
// (api/v2/openapi.yaml; api/v2/api.go: bad query parameters are go-openapi's {code,message}, bad matchers a JSON string).
import type http from "node:http";
import { readBody, sendJson, type Ctx } from "./context";
import { alertModel, matches, type Matcher } from "./alert-manager";

const VERSION = {
  branch: "HEAD",
  buildDate: "20231102-14:18:14",
  buildUser: "root@06d6f8cc2d8e",
  goVersion: "go1.21.3",
  revision: "d7b4f0c7322e7151d6e3b1e31cbc15361e295d8d",
  version: "0.26.0",
};
const started = new Date().toISOString();
// kube-prometheus-stack's default alertmanager.yaml (values.yaml alertmanager.config), as /api/v2/status shows it.
const CONFIG = `global:\n  resolve_timeout: 5m\nroute:\n  receiver: "null"\n  group_by:\n  - namespace\n  continue: false\n  routes:\n  - receiver: "null"\n    matchers:\n    - alertname="Watchdog"\n    continue: false\n  group_wait: 30s\n  group_interval: 5m\n  repeat_interval: 12h\ninhibit_rules:\n- source_matchers:\n  - severity="critical"\n  target_matchers:\n  - severity=~"warning|info"\n  equal:\n  - namespace\n  - alertname\n- source_matchers:\n  - severity="warning"\n  target_matchers:\n  - severity="info"\n  equal:\n  - namespace\n  - alertname\n- source_matchers:\n  - alertname="InfoInhibitor"\n  target_matchers:\n  - severity="info"\n  equal:\n  - namespace\nreceivers:\n- name: "null"\ntemplates:\n- /etc/alertmanager/config/*.tmpl\n`;

/** Parses one `filter` matcher: name="v", name!="v", name=~"re", name!~"re" (quotes optional, as labels.ParseMatcher). */
export function parseMatcher(s: string): Matcher {
  const m = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s]*))\s*$/.exec(s);
  if (!m) throw new Error(`bad matcher format: ${s}`);
  const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, "$1") : m[4]!;
  const isRegex = m[2]!.includes("~");
  if (isRegex) new RegExp(value); // an invalid regex is refused like a bad matcher
  return { name: m[1]!, value, isRegex, isEqual: !m[2]!.startsWith("!") };
}

function bool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return true;
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw Object.assign(new Error(`${name} in query must be of type boolean: "${v}"`), { code: 400 });
}

/** Serves one Alertmanager API request (rest: the path after /proxy). */
export async function serveAlertmanager(
  ctx: Ctx,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  rest: string,
  q: URLSearchParams,
): Promise<void> {
  const am = alertModel(ctx.cluster, ctx.timeScale);
  const method = req.method ?? "GET";
  if (rest === "/-/healthy" || rest === "/-/ready")
    return void res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end("OK");
  if (rest === "/api/v2/status" && method === "GET")
    return sendJson(res, 200, {
      cluster: { name: "01HF0000000000000000000000", peers: [], status: "ready" },
      config: { original: CONFIG },
      uptime: started,
      versionInfo: VERSION,
    });
  if (rest === "/api/v2/alerts" && method === "GET") {
    let flags: Record<string, boolean>;
    let filter: Matcher[];
    try {
      flags = Object.fromEntries(["active", "silenced", "inhibited", "unprocessed"].map((n) => [n, bool(q, n)]));
    } catch (e) {
      return sendJson(res, 422, { code: 601, message: (e as Error).message });
    }
    try {
      filter = q.getAll("filter").map(parseMatcher);
    } catch (e) {
      return sendJson(res, 400, JSON.stringify((e as Error).message));
    }
    const receiver = q.get("receiver");
    const list = am.alerts().filter((a) => {
      if (receiver && !a.receivers.some((r) => new RegExp(`^(?:${receiver})$`).test(r.name))) return false;
      const silenced = a.status.silencedBy.length > 0,
        inhibited = a.status.inhibitedBy.length > 0;
      if (!flags.silenced && silenced) return false;
      if (!flags.inhibited && inhibited) return false;
      if (!flags.active && !silenced && !inhibited) return false;
      return filter.every((m) => matches(m, a.labels));
    });
    return sendJson(res, 200, list);
  }
  if (rest === "/api/v2/silences" && method === "GET") {
    let filter: Matcher[];
    try {
      filter = q.getAll("filter").map(parseMatcher);
    } catch (e) {
      return sendJson(res, 400, JSON.stringify((e as Error).message));
    }
    const list = am.silences.filter((s) =>
      filter.every((f) => s.matchers.some((m) => m.name === f.name && m.value === f.value)),
    );
    return sendJson(
      res,
      200,
      list.map((s) => ({ ...s, status: { state: am.silenceState(s) } })),
    );
  }
  if (rest === "/api/v2/silences" && method === "POST") {
    let body: any;
    try {
      body = JSON.parse(await readBody(req, 1 << 20));
    } catch {
      return sendJson(res, 400, {
        code: 400,
        message: 'parsing silence body from "" failed, because invalid character in JSON',
      });
    }
    const err = silenceError(body);
    if (err) return sendJson(res, 400, JSON.stringify(err));
    if (body.id && !am.silences.some((s) => s.id === body.id))
      return sendJson(res, 404, JSON.stringify(`silence not found`));
    const id = am.addSilence({
      id: body.id || undefined,
      matchers: body.matchers.map((m: Matcher) => ({
        name: m.name,
        value: m.value,
        isRegex: m.isRegex,
        isEqual: m.isEqual ?? true,
      })),
      startsAt: new Date(body.startsAt).toISOString(),
      endsAt: new Date(body.endsAt).toISOString(),
      createdBy: body.createdBy,
      comment: body.comment,
    });
    return sendJson(res, 200, { silenceID: id });
  }
  const one = /^\/api\/v2\/silence\/([^/]+)$/.exec(rest);
  if (one) {
    const s = am.silences.find((x) => x.id === one[1]);
    if (method === "GET")
      return s
        ? sendJson(res, 200, { ...s, status: { state: am.silenceState(s) } })
        : void res.writeHead(404, { "content-length": "0" }).end();
    if (method === "DELETE")
      return am.expire(one[1]!)
        ? void res.writeHead(200, { "content-length": "0" }).end()
        : sendJson(res, 404, JSON.stringify(`silence ${one[1]} not found`));
  }
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("404 page not found\n");
}

// silence.Validate and the openapi's required fields: matchers, startsAt, endsAt, createdBy, comment.
function silenceError(b: any): string | null {
  if (!b || typeof b !== "object") return "silence invalid: body is not an object";
  for (const f of ["createdBy", "comment"]) if (typeof b[f] !== "string" || !b[f]) return `${f} in body is required`;
  if (!Array.isArray(b.matchers) || !b.matchers.length) return "silence invalid: at least one matcher required";
  for (const [i, m] of b.matchers.entries()) {
    if (!m || typeof m.name !== "string" || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(m.name))
      return `silence invalid: invalid label matcher ${i}: invalid label name "${m?.name}"`;
    if (typeof m.value !== "string" || typeof m.isRegex !== "boolean")
      return `silence invalid: invalid label matcher ${i}: value and isRegex are required`;
    if (m.isRegex)
      try {
        new RegExp(m.value);
      } catch {
        return `silence invalid: invalid label matcher ${i}: invalid regular expression "${m.value}"`;
      }
  }
  if (b.matchers.every((m: Matcher) => matches(m, {})))
    return "silence invalid: at least one matcher must not match the empty string";
  const s = Date.parse(b.startsAt),
    e = Date.parse(b.endsAt);
  if (!Number.isFinite(s) || !Number.isFinite(e)) return "startsAt and endsAt in body are required date-times";
  if (e < s) return "failed to create silence: start time must be before end time";
  if (e < Date.now()) return "failed to create silence: end time can't be in the past";
  return null;
}
