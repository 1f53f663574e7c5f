// A strict parser of the Prometheus text exposition format (0.0.4), for tests: it tokenises every line
// (names, label sets with escapes, values, optional timestamps) and checks what Prometheus relies on:
// TYPE before a family's samples, families not interleaved, no duplicate series, sample names that fit
// the type, non-negative counters, histograms with cumulative buckets ending in +Inf == _count.

export type ParsedSample = { name: string; labels: Record<string, string>; value: number; timestamp?: number };
export type ParsedFamily = { name: string; type: string; help?: string; samples: ParsedSample[] };

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

function parseValue(text: string, where: string): number {
  if (text === "+Inf" || text === "Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`${where}: bad value "${text}"`);
  return Number(text);
}

function parseLabels(s: string, where: string): [Record<string, string>, string] {
  const labels: Record<string, string> = {};
  let rest = s.slice(1);
  for (;;) {
    rest = rest.replace(/^\s*/, "");
    if (rest.startsWith("}")) return [labels, rest.slice(1)];
    const name = LABEL.exec(rest)?.[0];
    if (!name) throw new Error(`${where}: bad label name`);
    rest = rest.slice(name.length).replace(/^\s*/, "");
    if (!rest.startsWith('="') && !rest.startsWith("=")) throw new Error(`${where}: expected = after ${name}`);
    rest = rest.slice(1).replace(/^\s*/, "");
    if (!rest.startsWith('"')) throw new Error(`${where}: label value must be quoted`);
    let value = "";
    let i = 1;
    for (; i < rest.length && rest[i] !== '"'; i++) {
      if (rest[i] === "\\") {
        const n = rest[++i];
        if (n === "n") value += "\n";
        else if (n === "\\" || n === '"') value += n;
        else throw new Error(`${where}: bad escape \\${n}`);
      } else if (rest[i] === "\n") throw new Error(`${where}: raw line feed in label value`);
      else value += rest[i];
    }
    if (i >= rest.length) throw new Error(`${where}: unterminated label value`);
    if (name in labels) throw new Error(`${where}: duplicate label ${name}`);
    labels[name] = value;
    rest = rest.slice(i + 1).replace(/^\s*/, "");
    if (rest.startsWith(",")) rest = rest.slice(1);
    else if (!rest.startsWith("}")) throw new Error(`${where}: expected , or }`);
  }
}

function familyOf(sample: string, families: Map<string, ParsedFamily>): ParsedFamily | undefined {
  for (const suffix of ["_bucket", "_sum", "_count", ""]) {
    if (suffix && !sample.endsWith(suffix)) continue;
    const f = families.get(suffix ? sample.slice(0, -suffix.length) : sample);
    if (f) return f;
  }
  return undefined;
}

const seriesKey = (name: string, labels: Record<string, string>) => `${name}{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(",")}}`;

/** Parses and validates; throws with the line number on the first problem. */
export function parseExposition(text: string): ParsedFamily[] {
  if (text.length && !text.endsWith("\n")) throw new Error("the last line must end with a line feed");
  const families = new Map<string, ParsedFamily>();
  const order: string[] = [];
  const seen = new Set<string>();
  let current: string | null = null;
  text.split("\n").forEach((line, n) => {
    const where = `line ${n + 1}`;
    if (!line.trim()) return;
    if (line.startsWith("#")) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (!m) return; // a plain comment
      const [, kind, name, rest = ""] = m;
      if (!METRIC.test(name!) || METRIC.exec(name!)![0] !== name) throw new Error(`${where}: bad metric name ${name}`);
      let f = families.get(name!);
      if (!f) {
        f = { name: name!, type: "untyped", samples: [] };
        families.set(name!, f);
        order.push(name!);
      } else if (f.samples.length) throw new Error(`${where}: ${kind} for ${name} after its samples`);
      if (kind === "TYPE") {
        if (!TYPES.has(rest.trim())) throw new Error(`${where}: unknown type ${rest}`);
        if (f.type !== "untyped") throw new Error(`${where}: second TYPE for ${name}`);
        f.type = rest.trim();
      } else {
        if (f.help !== undefined) throw new Error(`${where}: second HELP for ${name}`);
        f.help = rest.replace(/\\(\\|n)/g, (_, c: string) => (c === "n" ? "\n" : "\\"));
      }
      return;
    }
    const name = METRIC.exec(line)?.[0];
    if (!name) throw new Error(`${where}: bad metric name`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith("{")) [labels, rest] = parseLabels(rest, where);
    const parts = rest.trim().split(/\s+/);
    if (!rest.startsWith(" ") && !rest.startsWith("\t")) throw new Error(`${where}: expected whitespace before the value`);
    if (parts.length < 1 || parts.length > 2) throw new Error(`${where}: expected value [timestamp]`);
    const value = parseValue(parts[0]!, where);
    const timestamp = parts[1] !== undefined ? Number(parts[1]) : undefined;
    if (timestamp !== undefined && !Number.isInteger(timestamp)) throw new Error(`${where}: bad timestamp`);
    const f = familyOf(name, families) ?? { name, type: "untyped", samples: [] };
    if (!families.has(f.name)) {
      families.set(f.name, f);
      order.push(f.name);
    }
    if (current !== f.name && f.samples.length) throw new Error(`${where}: samples of ${f.name} are not together`);
    current = f.name;
    const suffix = name.slice(f.name.length);
    if (f.type === "histogram" && !["_bucket", "_sum", "_count"].includes(suffix)) throw new Error(`${where}: ${name} is not a histogram sample`);
    if (f.type === "summary" && !(["_sum", "_count"].includes(suffix) || (suffix === "" && "quantile" in labels))) throw new Error(`${where}: ${name} is not a summary sample`);
    if ((f.type === "counter" || f.type === "gauge") && suffix) throw new Error(`${where}: ${name} does not belong to ${f.type} ${f.name}`);
    if (f.type === "histogram" && suffix === "_bucket" && !("le" in labels)) throw new Error(`${where}: bucket without le`);
    if (f.type === "counter" && !(value >= 0)) throw new Error(`${where}: counter ${name} is negative or NaN`);
    const key = seriesKey(name, labels);
    if (seen.has(key)) throw new Error(`${where}: duplicate series ${key}`);
    seen.add(key);
    f.samples.push({ name, labels, value, ...(timestamp !== undefined ? { timestamp } : {}) });
  });
  const list = order.map((n) => families.get(n)!);
  for (const f of list.filter((x) => x.type === "histogram")) checkHistogram(f);
  return list;
}

function checkHistogram(f: ParsedFamily) {
  const groups = new Map<string, { buckets: [number, number][]; count?: number; sum?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = seriesKey("", rest);
    const g = groups.get(key) ?? { buckets: [] };
    groups.set(key, g);
    if (s.name.endsWith("_bucket")) g.buckets.push([parseValue(le!, f.name), s.value]);
    else if (s.name.endsWith("_count")) g.count = s.value;
    else g.sum = s.value;
  }
  for (const [key, g] of groups) {
    const sorted = [...g.buckets].sort((a, b) => a[0] - b[0]);
    if (sorted.at(-1)?.[0] !== Infinity) throw new Error(`${f.name}${key}: no +Inf bucket`);
    sorted.forEach(([, v], i) => {
      if (i && v < sorted[i - 1]![1]) throw new Error(`${f.name}${key}: buckets are not cumulative`);
    });
    if (g.count === undefined || g.sum === undefined) throw new Error(`${f.name}${key}: _count or _sum missing`);
    if (sorted.at(-1)![1] !== g.count) throw new Error(`${f.name}${key}: +Inf bucket differs from _count`);
  }
}

/** The value of one series, by sample name and a subset of labels (undefined when absent). */
export function valueOf(families: ParsedFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  for (const f of families)
    for (const s of f.samples) if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
  return undefined;
}
