import "server-only";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

// Prisma's WASM schema engine, driven through the pg adapter: `prisma migrate deploy` without the
// native binary that the CLI would download (PLATFORM-NOTES: no machine here can reach it).

const require = createRequire(import.meta.url);
export const MIGRATIONS_DIR = path.resolve("prisma/migrations");
export const SCHEMA_PATH = path.resolve("prisma/schema.prisma");

type Engine = {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

let wasmStarted = false;

async function loadEngine(databaseUrl: string, schema: string): Promise<Engine> {
  // The package is built for bundlers: instantiate its WASM module by hand.
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
  const runtime = (await import(path.join(dir, "schema_engine_bg.js"))) as Record<string, unknown> & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
    SchemaEngine: { new: (o: unknown, log: (m: unknown) => void, adapter: object) => Promise<Engine> };
  };
  if (!wasmStarted) {
    const wasmModule = new WebAssembly.Module(fs.readFileSync(path.join(dir, "schema_engine_bg.wasm")));
    const instance = new WebAssembly.Instance(wasmModule, {
      "./schema_engine_bg.js": runtime as WebAssembly.ModuleImports,
    });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    wasmStarted = true;
  }
  // The migration engine's own connections, not the process's pool (server/db/pool.ts): migrations run once,
  // before the portal uses the database (usually in a child process of their own), and end with it.
  const base = new PrismaPg({ connectionString: databaseUrl });
  // Send each migration script whole, as the CLI does: splitting breaks DO blocks and functions.
  const whole = <T extends { executeScript(s: string): Promise<void>; underlyingDriver(): unknown }>(a: T): T => {
    a.executeScript = async (script: string) => {
      await (a.underlyingDriver() as { query(s: string): Promise<unknown> }).query(script);
    };
    return a;
  };
  const factory = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => whole(await base.connect()),
    connectToShadowDb: async () => whole(await base.connectToShadowDb()),
  };
  return runtime.SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schema]] },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(factory as never),
  );
}

function migrationList() {
  const dirs = fs.existsSync(MIGRATIONS_DIR)
    ? fs
        .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: {
      path: "migration_lock.toml",
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((d) => {
      const file = path.join(MIGRATIONS_DIR, d, "migration.sql");
      return {
        path: d,
        migrationFile: {
          path: "migration.sql",
          content: fs.existsSync(file)
            ? { tag: "ok" as const, value: fs.readFileSync(file, "utf8") }
            : { tag: "error" as const, value: "missing migration.sql" },
        },
      };
    }),
  };
}

const filters = { externalTables: [], externalEnums: [] };

/** Applies every pending migration in prisma/migrations; returns the names applied now. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const engine = await loadEngine(databaseUrl, fs.readFileSync(SCHEMA_PATH, "utf8"));
  try {
    const out = await engine.applyMigrations({ migrationsList: migrationList(), filters });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/** SQL that takes a database from `fromSchema` (null = empty) to `toSchema`. */
export async function diffSchemas(databaseUrl: string, fromSchema: string | null, toSchema: string): Promise<string> {
  const engine = await loadEngine(databaseUrl, toSchema);
  try {
    const files = (content: string) => ({ files: [{ path: SCHEMA_PATH, content }] });
    const out = await engine.diff({
      from: fromSchema === null ? { tag: "empty" } : { tag: "schemaDatamodel", ...files(fromSchema) },
      to: { tag: "schemaDatamodel", ...files(toSchema) },
      script: true,
      exitCode: null,
      filters,
    });
    return out.stdout ?? "";
  } finally {
    engine.free();
  }
}
