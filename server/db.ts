import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/server/generated/prisma/client";
import { closeNotifyHubs } from "@/server/db/notify-hub";
import { databaseUrl, endPools, pgPool, setDatabaseUrl } from "@/server/db/pool";

// One Prisma client per process, through the pg driver adapter on the process's one pool (server/db/pool.ts),
// reused across dev reloads.

export { databaseUrl, setDatabaseUrl };

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient; prismaUrl?: string };

/** Builds a client for a URL on that URL's shared pool (tests use this for their throwaway databases). */
export function createPrisma(url: string): PrismaClient {
  // maxWait: the pool is shared with the worker and the jobs, so a transaction may wait a moment for a
  // connection; Prisma's 2 s default turned a busy pool into refused requests.
  return new PrismaClient({ adapter: new PrismaPg(pgPool(url)), transactionOptions: { maxWait: 10_000 } });
}

/** Disconnects a client from createPrisma; its pool is shared, and ends with endPools. */
export async function closePrisma(client: PrismaClient): Promise<void> {
  await client.$disconnect();
}

/**
 * Ends every connection of this process to its database: the Prisma client, the pool and the LISTEN hub
 * (before an embedded server this process owns stops, so its shutdown ends nobody's session).
 */
export async function closeDb(): Promise<void> {
  const client = globalForPrisma.prisma;
  const url = globalForPrisma.prismaUrl ?? tryDatabaseUrl();
  globalForPrisma.prisma = undefined;
  await client?.$disconnect();
  if (url) await Promise.all([closeNotifyHubs(url), endPools(url)]);
}

function tryDatabaseUrl(): string | undefined {
  try {
    return databaseUrl();
  } catch {
    return undefined;
  }
}

/** The URL the process's client is connected to, if it has one. */
export function openDbUrl(): string | undefined {
  return globalForPrisma.prisma ? globalForPrisma.prismaUrl : undefined;
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
