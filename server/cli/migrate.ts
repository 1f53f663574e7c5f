// npm run db:migrate - applies prisma/migrations to the configured (or embedded) database.
import { resolveDatabase } from "@/server/db/resolve-database";
import { applyMigrations } from "@/server/db/schema-engine";
import { runMain } from "@/server/cli/run-main";

runMain(async () => {
  const db = await resolveDatabase({ migrate: false });
  try {
    const applied = await applyMigrations(db.url);
    console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date: no pending migration");
  } finally {
    await db.stop();
  }
});
