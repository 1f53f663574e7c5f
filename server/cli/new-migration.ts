// npm run db:new-migration -- NAME: writes prisma/migrations/<timestamp>_NAME/migration.sql from the
// schema change since the last commit (or from nothing, for the first migration).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { resolveDatabase } from "@/server/db/resolve-database";
import { MIGRATIONS_DIR, SCHEMA_PATH, diffSchemas } from "@/server/db/schema-engine";
import { runMain } from "@/server/cli/run-main";

runMain(async () => {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: npm run db:new-migration -- <snake_case_name>");
  const hasMigrations = fs.existsSync(MIGRATIONS_DIR) && fs.readdirSync(MIGRATIONS_DIR).some((d) => /^\d{14}_/.test(d));
  let from: string | null = null;
  if (hasMigrations) {
    // The committed schema is the one the existing migrations produce.
    from = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { encoding: "utf8" });
  }
  const db = await resolveDatabase({ migrate: false });
  try {
    const sql = await diffSchemas(db.url, from, fs.readFileSync(SCHEMA_PATH, "utf8"));
    if (!sql.trim() || /empty migration/i.test(sql)) {
      console.log("schema unchanged since the last commit: no migration written");
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    const lock = path.join(MIGRATIONS_DIR, "migration_lock.toml");
    if (!fs.existsSync(lock))
      fs.writeFileSync(lock, '# Do not edit: written for prisma migrate.\nprovider = "postgresql"\n');
    console.log(
      `wrote ${path.relative(process.cwd(), dir)}/migration.sql: review it, add what Prisma cannot express (partial indexes), commit it`,
    );
  } finally {
    await db.stop();
  }
});
