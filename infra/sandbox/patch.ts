// JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386), with the apiserver's error codes.
import { ApiError } from "./status";

// RFC 7386: null deletes, objects merge, everything else replaces.
export function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const out = target && typeof target === "object" && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function unescape(s: string): string {
  return s.replace(/~1/g, "/").replace(/~0/g, "~");
}

function walk(doc: any, path: string): [any, string] {
  if (!path.startsWith("/")) throw new ApiError(422, `invalid JSON pointer: "${path}"`);
  const parts = path.slice(1).split("/").map(unescape);
  const last = parts.pop()!;
  let cur = doc;
  for (const p of parts) {
    if (cur === null || typeof cur !== "object" || !(p in cur))
      throw new ApiError(
        422,
        `the server rejected our request due to an error in our request: doc is missing path: "${path}": missing value`,
      );
    cur = cur[p];
  }
  return [cur, last];
}

// RFC 6902 on a copy of the document.
export function jsonPatch(doc: any, ops: unknown): any {
  if (!Array.isArray(ops))
    throw new ApiError(400, "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  const out = structuredClone(doc);
  for (const op of ops as any[]) {
    if (!op || typeof op.op !== "string" || typeof op.path !== "string")
      throw new ApiError(
        422,
        `the server rejected our request due to an error in our request: invalid operation ${JSON.stringify(op)}`,
      );
    const [parent, key] = walk(out, op.path);
    const isArr = Array.isArray(parent);
    const idx = key === "-" ? (isArr ? parent.length : -1) : Number(key);
    const get = (p: string) => {
      const [o, k] = walk(out, p);
      return o?.[k];
    };
    switch (op.op) {
      case "add":
        if (isArr) parent.splice(idx, 0, op.value);
        else parent[key] = op.value;
        break;
      case "replace":
      case "remove":
        if (!(key in parent))
          throw new ApiError(
            422,
            `the server rejected our request due to an error in our request: ${op.op} operation does not apply: doc is missing key: ${op.path}: missing value`,
          );
        if (op.op === "replace") parent[key] = op.value;
        else if (isArr) parent.splice(idx, 1);
        else delete parent[key];
        break;
      case "test":
        if (JSON.stringify(get(op.path)) !== JSON.stringify(op.value))
          throw new ApiError(
            422,
            `the server rejected our request due to an error in our request: testing value ${op.path} failed: test failed`,
          );
        break;
      case "copy":
      case "move": {
        const v = structuredClone(get(op.from));
        if (op.op === "move") {
          const [o, k] = walk(out, op.from);
          if (Array.isArray(o)) o.splice(Number(k), 1);
          else delete o[k];
        }
        if (isArr) parent.splice(idx, 0, v);
        else parent[key] = v;
        break;
      }
      default:
        throw new ApiError(
          422,
          `the server rejected our request due to an error in our request: Unexpected kind: ${op.op}`,
        );
    }
  }
  return out;
}

// Applies a PATCH body by its Content-Type; CRDs refuse strategic merge exactly as the apiserver does.
export function applyPatch(doc: any, body: string, contentType: string, isCustom: boolean): any {
  const ct = contentType.split(";")[0]!.trim();
  const accepted = [
    "application/json-patch+json",
    "application/merge-patch+json",
    ...(isCustom ? [] : ["application/strategic-merge-patch+json"]),
  ];
  if (!accepted.includes(ct))
    throw new ApiError(
      415,
      `the body of the request was in an unknown format - accepted media types include: ${[...accepted, "application/apply-patch+yaml"].join(", ")}`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    throw new ApiError(400, `error decoding patch: ${(e as Error).message}`);
  }
  if (ct === "application/json-patch+json") return jsonPatch(doc, parsed);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new ApiError(400, "json: cannot unmarshal array into Go value of type map[string]interface {}");
  return mergePatch(doc, parsed);
}
