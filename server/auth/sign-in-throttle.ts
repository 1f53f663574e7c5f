import "server-only";
import { db } from "@/server/db";
import { recordAudit } from "@/server/audit/record-audit";

// Local sign-in throttle, kept in PostgreSQL so that every web server shares it. Failures are counted
// per username and per client address; past a free allowance each failure blocks the key for twice as
// long as the one before (1 s, 2 s, 4 s … 15 min). Attempts made while blocked count as failures too,
// so a burst escalates at once. A success clears the username's count, never the address's: otherwise
// an attacker could interleave sign-ins to an account of their own.

export type ThrottleKey = { key: string; kind: "user" | "addr" };

const WINDOW_MS = 15 * 60_000;
const BASE_MS = 1_000;
const CAP_MS = 15 * 60_000;
/** Failures allowed before the backoff starts: an address (a shared NAT, an office) gets more than one user. */
export const FREE_FAILURES = { user: 5, addr: 20 } as const;

/** How long a key is blocked after its `failures`-th failure in a row. */
export function backoffMs(failures: number, free: number): number {
  if (failures <= free) return 0;
  return Math.min(BASE_MS * 2 ** Math.min(failures - free - 1, 30), CAP_MS);
}

/** The client's address: the last X-Forwarded-For entry, which Next.js sets from the socket when the header is
 * absent and which a reverse proxy that appends (nginx's $proxy_add_x_forwarded_for) sets to the peer it saw. */
export function clientAddress(headers: Headers | undefined): string {
  const xff = headers?.get("x-forwarded-for") ?? "";
  const last = xff
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .pop();
  return (last ?? "unknown").replace(/^::ffff:/, "").slice(0, 64);
}

/** The keys one sign-in attempt counts against. */
export function throttleKeys(username: string, address: string): ThrottleKey[] {
  return [
    { key: `user:${username.toLowerCase()}`, kind: "user" },
    { key: `addr:${address}`, kind: "addr" },
  ];
}

/** True while any of the keys is blocked. */
export async function isThrottled(keys: ThrottleKey[], now = new Date()): Promise<boolean> {
  const blocked = await db().signInThrottle.count({
    where: { key: { in: keys.map((k) => k.key) }, blockedUntil: { gt: now } },
  });
  return blocked > 0;
}

/** Counts one failure against each key, blocks those past their allowance, and audits each burst: once when it
 * starts throttling and again each time its count doubles (so 1,000 attempts write about 8 rows, not 1,000). */
export async function recordFailure(keys: ThrottleKey[], actor: string, now = new Date()): Promise<void> {
  for (const k of keys) {
    // A quiet key starts over; one still blocked keeps its count, so the backoff keeps growing.
    await db().signInThrottle.deleteMany({
      where: {
        key: k.key,
        lastAt: { lt: new Date(now.getTime() - WINDOW_MS) },
        OR: [{ blockedUntil: null }, { blockedUntil: { lt: now } }],
      },
    });
    const row = await db().signInThrottle.upsert({
      where: { key: k.key },
      create: { key: k.key, failures: 1, firstAt: now, lastAt: now },
      update: { failures: { increment: 1 }, lastAt: now },
    });
    // A new key (a sprayed username, a new address): sweep keys gone quiet, so the table stays the size of the
    // last quarter hour's attempts however many names an attacker tries.
    if (row.failures === 1)
      await db().signInThrottle.deleteMany({
        where: {
          lastAt: { lt: new Date(now.getTime() - WINDOW_MS) },
          OR: [{ blockedUntil: null }, { blockedUntil: { lt: now } }],
        },
      });
    const free = FREE_FAILURES[k.kind];
    const wait = backoffMs(row.failures, free);
    if (!wait) continue;
    await db().signInThrottle.update({ where: { key: k.key }, data: { blockedUntil: new Date(now.getTime() + wait) } });
    const over = row.failures - free;
    if ((over & (over - 1)) === 0) {
      await recordAudit({
        actor,
        action: "auth.sign-in.throttled",
        target: k.key,
        outcome: "refused",
        detail: { failures: row.failures, since: row.firstAt.toISOString(), blockedForSeconds: Math.ceil(wait / 1000) },
      });
    }
  }
}

/** Clears a key after a successful sign-in. */
export async function clearFailures(key: ThrottleKey): Promise<void> {
  await db().signInThrottle.deleteMany({ where: { key: key.key } });
}
