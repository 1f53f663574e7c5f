// AWS Signature Version 4 verification for the sandbox's own key pair.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type http from "node:http";

// Why a request was refused, as EC2 names it.
export interface SigError {
  code:
    "AuthFailure" | "SignatureDoesNotMatch" | "RequestExpired" | "MissingAuthenticationToken" | "IncompleteSignature";
  message: string;
  status: number;
}

const hmac = (k: Buffer | string, s: string) => createHmac("sha256", k).update(s).digest();
const sha = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

// RFC 3986 escaping, as the SigV4 canonical form requires.
function escape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(search: string): string {
  if (!search || search === "?") return "";
  const pairs = search
    .replace(/^\?/, "")
    .split("&")
    .filter(Boolean)
    .map((p) => {
      const [k, v = ""] = p.split("=");
      return [
        escape(decodeURIComponent(k!.replace(/\+/g, " "))),
        escape(decodeURIComponent(v.replace(/\+/g, " "))),
      ] as const;
    });
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

// Checks the Authorization header against the key pair; null means the signature is good.
export function verifySigV4(
  req: http.IncomingMessage,
  body: Buffer,
  keys: { accessKeyId: string; secretAccessKey: string },
  region: string,
): SigError | null {
  const auth = req.headers.authorization;
  if (!auth)
    return { code: "MissingAuthenticationToken", status: 401, message: "Request is missing Authentication Token" };
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m)
    return {
      code: "IncompleteSignature",
      status: 400,
      message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${auth.split(" ")[0]}`,
    };
  const [, akid, date, reqRegion, service, signedHeaders, signature] = m as unknown as string[];
  if (akid !== keys.accessKeyId)
    return {
      code: "AuthFailure",
      status: 401,
      message: "AWS was not able to validate the provided access credentials",
    };
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  const t = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
  if (!Number.isFinite(t) || !amzDate.startsWith(date!))
    return { code: "IncompleteSignature", status: 400, message: "Date must be in ISO-8601 'basic format'" };
  if (Math.abs(Date.now() - t) > 5 * 60_000)
    return { code: "RequestExpired", status: 400, message: `Request has expired. Timestamp date is ${amzDate}` };
  if (reqRegion !== region)
    return {
      code: "AuthFailure",
      status: 401,
      message: `Credential should be scoped to a valid region, not '${reqRegion}'.`,
    };
  const url = new URL(req.url ?? "/", "http://x");
  const canonHeaders = signedHeaders!
    .split(";")
    .map(
      (h) =>
        `${h}:${String(req.headers[h] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const payload = String(req.headers["x-amz-content-sha256"] ?? sha(body));
  const path =
    url.pathname
      .split("/")
      .map((s) => escape(decodeURIComponent(s)))
      .join("/") || "/";
  const creq = [req.method, path, canonicalQuery(url.search), canonHeaders, signedHeaders, payload].join("\n");
  const scope = `${date}/${reqRegion}/${service}/aws4_request`;
  const sts = ["AWS4-HMAC-SHA256", amzDate, scope, sha(creq)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${keys.secretAccessKey}`, date!), reqRegion!), service!), "aws4_request");
  const expected = createHmac("sha256", key).update(sts).digest();
  const got = Buffer.from(signature!, "hex");
  if (got.length !== expected.length || !timingSafeEqual(got, expected))
    return {
      code: "SignatureDoesNotMatch",
      status: 403,
      message:
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    };
  return null;
}
