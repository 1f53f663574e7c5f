// A fresh, migrated database on the machine's PostgreSQL for one test file; dropped afterwards.
import crypto from "node:crypto";
import pg from "pg";
import { applyMigrations } from "@/server/db/schema-engine";
import { closeDb, closePrisma, createPrisma, openDbUrl } from "@/server/db";
import { endPools } from "@/server/db/pool";
import { closeNotifyHubs } from "@/server/db/notify-hub";

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
      // Every connection this process opened on the database (its pool, its notify hub) is ended first, so DROP ... WITH (FORCE) ends no live
      // connection of ours: a pooled client killed mid-release is an uncaught error in the test process.
      await closePrisma(prisma);
      if (openDbUrl() === dbUrl) await closeDb();
      await Promise.all([endPools(dbUrl), closeNotifyHubs(dbUrl)]);
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
