import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { log } from "@/server/log";
import { PrismaClient } from "@/server/generated/prisma/client";
import { env } from "@/server/env";

// One Prisma client per process, through the pg driver adapter, reused across dev reloads.

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient; prismaUrl?: string; resolvedUrl?: string };

/** Builds a client for a URL (tests use this for their throwaway databases). */
export function createPrisma(url: string, max = 10): PrismaClient {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection dropped by the server (a restart, the embedded database stopping) must not crash the process.
  pool.on("error", (err) => log.warn("database connection lost", { error: err.message }));
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  pools.set(client, pool);
  return client;
}

// PrismaPg leaves a pool it was given open on $disconnect; closeDb ends it too.
const pools = new WeakMap<PrismaClient, pg.Pool>();

/** Disconnects a client from createPrisma and ends its pool. */
export async function closePrisma(client: PrismaClient): Promise<void> {
  await client.$disconnect();
  const pool = pools.get(client);
  pools.delete(client);
  await pool?.end();
}

/** Disconnects the process's client and ends its pool (before an embedded server this process owns stops). */
export async function closeDb(): Promise<void> {
  const client = globalForPrisma.prisma;
  if (!client) return;
  globalForPrisma.prisma = undefined;
  await closePrisma(client);
}

/** The URL the process's client is connected to, if it has one. */
export function openDbUrl(): string | undefined {
  return globalForPrisma.prisma ? globalForPrisma.prismaUrl : undefined;
}

/** Records the URL that resolveDatabase chose (the embedded server's, when DATABASE_URL is unset). */
export function setDatabaseUrl(url: string): void {
  globalForPrisma.resolvedUrl = url;
}

/** The database URL of this process. */
export function databaseUrl(): string {
  const url = globalForPrisma.resolvedUrl ?? env().DATABASE_URL;
  if (!url) throw new Error("no database: start the portal with `npm start`, or set DATABASE_URL");
  return url;
}

/** The process's client. */
export function db(): PrismaClient {
  const url = databaseUrl();
  if (!globalForPrisma.prisma || globalForPrisma.prismaUrl !== url) {
    globalForPrisma.prisma = createPrisma(url);
    globalForPrisma.prismaUrl = url;
  }
  return globalForPrisma.prisma;
}
