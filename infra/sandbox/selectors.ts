// Label and field selectors, parsed with the apiserver's grammar and error messages.
import { ApiError } from "./status";
import type { K8sObject } from "./types";

type Req =
  | { op: "eq" | "neq"; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "notexists"; key: string };

// A compiled selector: a predicate over objects.
export type Matcher = (obj: K8sObject) => boolean;

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (depth < 0) throw new ApiError(400, "unable to parse requirement: found ')', expected: identifier");
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (depth !== 0) throw new ApiError(400, "unable to parse requirement: found 'end of string', expected: ')'");
  parts.push(cur);
  return parts.map((p) => p.trim());
}

function badKey(key: string): ApiError {
  return new ApiError(
    400,
    `unable to parse requirement: <nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
  );
}

function checkValue(v: string): string {
  if (v.length > 63 || !VALUE.test(v))
    throw new ApiError(
      400,
      `unable to parse requirement: values[0][${v}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`,
    );
  return v;
}

function parseLabelReq(part: string): Req {
  let m = /^(!?)\s*([^\s!=()]+)$/.exec(part);
  if (m) {
    if (!KEY.test(m[2]!)) throw badKey(m[2]!);
    return { op: m[1] ? "notexists" : "exists", key: m[2]! };
  }
  m = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s=!()]*)$/.exec(part);
  if (m) {
    if (!KEY.test(m[1]!)) throw badKey(m[1]!);
    return { op: m[2] === "!=" ? "neq" : "eq", key: m[1]!, value: checkValue(m[3]!) };
  }
  m = /^([^\s!=()]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part);
  if (m) {
    if (!KEY.test(m[1]!)) throw badKey(m[1]!);
    const values = m[3]!.split(",").map((v) => checkValue(v.trim()));
    return { op: m[2] as "in" | "notin", key: m[1]!, values };
  }
  throw new ApiError(400, `unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
}

// Parses a labelSelector; throws a 400 ApiError on bad syntax as the apiserver does.
export function parseLabelSelector(sel: string | null | undefined): Matcher | null {
  if (!sel || !sel.trim()) return null;
  const reqs = splitTopLevel(sel).map((p) => {
    if (!p) throw new ApiError(400, "unable to parse requirement: found ',', expected: identifier");
    return parseLabelReq(p);
  });
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      const v = labels[r.key];
      switch (r.op) {
        case "exists":
          return has;
        case "notexists":
          return !has;
        case "eq":
          return has && v === r.value;
        case "neq":
          return !has || v !== r.value;
        case "in":
          return has && r.values.includes(v!);
        case "notin":
          return !has || !r.values.includes(v!);
      }
    });
  };
}

// Field paths each resource supports for fieldSelector, as the apiserver registers them.
const FIELDS: Record<string, Record<string, (o: K8sObject) => string>> = {
  pods: {
    "spec.nodeName": (o) => o.spec?.nodeName ?? "",
    "status.phase": (o) => o.status?.phase ?? "",
    "spec.restartPolicy": (o) => o.spec?.restartPolicy ?? "",
    "spec.schedulerName": (o) => o.spec?.schedulerName ?? "",
    "spec.serviceAccountName": (o) => o.spec?.serviceAccountName ?? "",
    "status.podIP": (o) => o.status?.podIP ?? "",
  },
  nodes: { "spec.unschedulable": (o) => String(!!o.spec?.unschedulable) },
  events: {
    "involvedObject.kind": (o) => o.involvedObject?.kind ?? "",
    "involvedObject.name": (o) => o.involvedObject?.name ?? "",
    "involvedObject.namespace": (o) => o.involvedObject?.namespace ?? "",
    "involvedObject.uid": (o) => o.involvedObject?.uid ?? "",
    reason: (o) => o.reason ?? "",
    type: (o) => o.type ?? "",
    source: (o) => o.source?.component ?? "",
  },
  namespaces: { "status.phase": (o) => o.status?.phase ?? "" },
  secrets: { type: (o) => o.type ?? "" },
};

// Parses a fieldSelector for one resource; unknown fields get the apiserver's 400.
export function parseFieldSelector(sel: string | null | undefined, resource: string): Matcher | null {
  if (!sel || !sel.trim()) return null;
  const getters: Record<string, (o: K8sObject) => string> = {
    "metadata.name": (o) => o.metadata.name,
    "metadata.namespace": (o) => o.metadata.namespace ?? "",
    ...(FIELDS[resource] ?? {}),
  };
  const reqs = sel.split(",").map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw new ApiError(400, `invalid selector: '${sel}'; can't understand '${part}'`);
    const get = getters[m[1]!];
    if (!get) throw new ApiError(400, `field label not supported: ${m[1]}`);
    return { get, neq: m[2] === "!=", value: m[3]! };
  });
  return (obj) => reqs.every((r) => (r.get(obj) === r.value) !== r.neq);
}
