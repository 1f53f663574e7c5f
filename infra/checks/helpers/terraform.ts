import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "@cdktf/hcl2json";

export const REPO_ROOT = path.resolve(__dirname, "../../..");
export const TF_ROOT = path.join(REPO_ROOT, "infra/terraform");

// hcl2json gives each file as JSON: blocks become arrays of objects, expressions
// become "${...}" strings, literal values stay literal.
export type Hcl = Record<string, any>;

export interface TfFile {
  rel: string; // path relative to infra/terraform
  dir: string; // module directory relative to infra/terraform ("" = root)
  text: string;
  json: Hcl;
}

export function listFiles(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".")) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, suffix));
    else if (e.name.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}

export async function parseTfFile(file: string): Promise<TfFile> {
  const text = readFileSync(file, "utf8");
  const json = await parse(path.basename(file), text);
  const rel = path.relative(TF_ROOT, file);
  return { rel, dir: path.dirname(rel) === "." ? "" : path.dirname(rel), text, json };
}

/** A module: all of its .tf files deep-merged by block type and label. */
export interface Module {
  resource: Record<string, Record<string, Hcl>>;
  data: Record<string, Record<string, Hcl>>;
  variable: Record<string, Hcl>;
  output: Record<string, Hcl>;
  module: Record<string, Hcl>;
  locals: Hcl;
  terraform: Hcl[];
}

export function mergeModule(files: TfFile[]): Module {
  const m: Module = { resource: {}, data: {}, variable: {}, output: {}, module: {}, locals: {}, terraform: [] };
  for (const f of files) {
    const j = f.json;
    for (const kind of ["resource", "data"] as const) {
      for (const [type, byName] of Object.entries<Record<string, Hcl[]>>(j[kind] ?? {})) {
        m[kind][type] ??= {};
        for (const [name, blocks] of Object.entries(byName)) {
          if (m[kind][type][name]) throw new Error(`${kind} ${type}.${name} declared twice (${f.rel})`);
          m[kind][type][name] = blocks[0] as Hcl;
        }
      }
    }
    for (const kind of ["variable", "output", "module"] as const) {
      for (const [name, blocks] of Object.entries<Hcl[]>(j[kind] ?? {})) {
        if (m[kind][name]) throw new Error(`${kind} ${name} declared twice (${f.rel})`);
        m[kind][name] = blocks[0] as Hcl;
      }
    }
    for (const l of (j.locals ?? []) as Hcl[]) Object.assign(m.locals, l);
    m.terraform.push(...((j.terraform ?? []) as Hcl[]));
  }
  return m;
}

export interface TfTree {
  files: TfFile[];
  modules: Record<string, Module>; // "" = root, "modules/vpc", ...
}

export async function loadTree(): Promise<TfTree> {
  const files: TfFile[] = [];
  for (const f of listFiles(TF_ROOT, ".tf")) files.push(await parseTfFile(f));
  const byDir = new Map<string, TfFile[]>();
  for (const f of files) byDir.set(f.dir, [...(byDir.get(f.dir) ?? []), f]);
  const modules: Record<string, Module> = {};
  for (const [dir, fs] of byDir) modules[dir] = mergeModule(fs);
  return { files, modules };
}

/** First block of a nested block list (hcl2json wraps nested blocks in arrays). */
export function first(v: unknown): Hcl {
  if (Array.isArray(v) && v.length > 0) return v[0] as Hcl;
  throw new Error(`expected a block, got ${JSON.stringify(v)}`);
}

/** A module of the parsed tree by folder ("" is the root); a missing one fails the test naming it. */
export function moduleIn(tree: TfTree, dir: string): Module {
  const m = tree.modules[dir];
  if (!m) throw new Error(`module ${dir || "(root)"} not found under infra/terraform`);
  return m;
}

/** One resource of a module; a missing one fails the test naming it. */
export function resourceIn(m: Module, type: string, name: string): Hcl {
  const r = m.resource[type]?.[name];
  if (!r) throw new Error(`resource ${type}.${name} not found`);
  return r;
}
