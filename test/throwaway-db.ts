// A fresh, migrated database on the machine's PostgreSQL for one test file; dropped afterwards.
import crypto from "node:crypto";
import pg from "pg";
import { applyMigrations } from "@/server/db/schema-engine";
import { createPrisma } from "@/server/db";

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** Creates and migrates `portal_test_<random>`; `drop` removes it. */
export async function throwawayDatabase() {
  const name = `portal_test_${crypto.randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  await applyMigrations(dbUrl);
  const prisma = createPrisma(dbUrl);
  return {
    url: dbUrl,
    name,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
