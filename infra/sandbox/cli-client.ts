// The CLI's side of the admin endpoint: finds the running server and calls it over HTTPS, trusting the cluster CA.
import fs from "node:fs";
import type http from "node:http";
import https from "node:https";
import { readEndpoints, runningPid, type Endpoints } from "./state-dir";

// Raised when no server runs on the folder: exit code 3.
export class NotRunning extends Error {
  constructor(dir: string) {
    super(`sandbox is not running on ${dir}; start it with: npm run sandbox -- up --state ${dir}`);
  }
}

// Raised for a refusal or failure reported by the server: exit code 1.
export class Failed extends Error {}

// The endpoints of the live server on a folder, or NotRunning.
export function liveEndpoints(dir: string): Endpoints {
  const ep = readEndpoints(dir);
  const pid = runningPid(dir);
  if (!ep || !pid || ep.pid !== pid) throw new NotRunning(dir);
  return ep;
}

// An HTTPS request to the sandbox that verifies its certificate against the cluster CA named in endpoints.json.
export function sandboxRequest(
  ep: Endpoints,
  method: string,
  path: string,
  headers: http.OutgoingHttpHeaders,
  onResponse: (res: http.IncomingMessage) => void,
): http.ClientRequest {
  return https.request(`${ep.kubernetes}${path}`, { method, headers, ca: fs.readFileSync(ep.ca) }, onResponse);
}

// Calls an admin endpoint and returns its JSON; server-side errors become Failed with the server's message.
export function admin(ep: Endpoints, method: string, path: string, body?: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = sandboxRequest(
      ep,
      method,
      `/admin/v1${path}`,
      { authorization: `Bearer ${ep.adminToken}`, "content-type": "application/json" },
      (res) => {
        let s = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (s += c));
        res.on("end", () => {
          let j: any = s;
          try {
            j = JSON.parse(s);
          } catch {}
          if ((res.statusCode ?? 500) >= 400) reject(new Failed(j?.message ?? `server answered ${res.statusCode}`));
          else resolve(j);
        });
      },
    );
    req.on("error", (e) => reject(new Failed(`cannot reach the sandbox at ${ep.kubernetes}: ${e.message}`)));
    req.end(data);
  });
}

// Streams an operation: prints its `sandbox:` lines and resolves with the final result.
export function streamOp(
  ep: Endpoints,
  path: string,
  body: unknown,
  print: (l: string) => void,
): Promise<{ ok: boolean; cancelled?: boolean; error?: string; state: any }> {
  return new Promise((resolve, reject) => {
    const req = sandboxRequest(
      ep,
      "POST",
      `/admin/v1${path}`,
      { authorization: `Bearer ${ep.adminToken}`, "content-type": "application/json" },
      (res) => {
        let buf = "";
        let result: any = null;
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          buf += c;
          let i;
          while ((i = buf.indexOf("\n")) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line.startsWith("sandbox-result: ")) result = JSON.parse(line.slice(16));
            else if ((res.statusCode ?? 500) < 400) print(line);
          }
        });
        res.on("end", () => {
          if ((res.statusCode ?? 500) >= 400) {
            let msg = buf;
            try {
              msg = JSON.parse(buf).message;
            } catch {}
            return reject(new Failed(msg));
          }
          if (!result) return reject(new Failed("the sandbox closed the stream before the operation finished"));
          resolve(result);
        });
      },
    );
    req.on("error", (e) => reject(new Failed(`lost the sandbox at ${ep.kubernetes}: ${e.message}`)));
    req.end(JSON.stringify(body));
  });
}
