import "server-only";
import crypto from "node:crypto";
import { db } from "@/server/db";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { recordAudit } from "@/server/audit/record-audit";
import { clearFailures, clientAddress, isThrottled, recordFailure, throttleKeys } from "@/server/auth/sign-in-throttle";

// A local sign-in attempt. Every refusal looks the same to the caller (null), whether the user is unknown,
// the password wrong, the account deactivated or the attempt throttled, and costs the same: an unknown user
// is checked against a dummy hash with the same scrypt parameters, so timing does not tell usernames apart.

let dummy: Promise<string> | undefined;
/** A hash of a random password nobody knows, made once per process. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomBytes(18).toString("base64url"));
  return dummy;
}

export type SignedIn = { id: string; name: string | null; email: string | null };

/** Checks a username and password from `headers`' client; the user on success, else null. */
export async function verifyLocalSignIn(
  username: string,
  password: string,
  headers: Headers | undefined,
): Promise<SignedIn | null> {
  const keys = throttleKeys(username, clientAddress(headers));
  const actor = `local:${username}`;
  const user = await db().user.findUnique({ where: { username } });
  // Always run scrypt, also when throttled: the time of an answer must not say which case it was.
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  const throttled = await isThrottled(keys);
  if (throttled || !user || !passwordOk || user.deactivatedAt) {
    await recordFailure(keys, actor);
    // While throttled, the burst is audited by recordFailure (with its count), not row by row.
    if (!throttled) {
      const reason = user?.deactivatedAt && passwordOk ? "account deactivated" : "bad credentials";
      await recordAudit({ actor, action: "auth.sign-in", outcome: "refused", detail: { reason } });
    }
    return null;
  }
  await clearFailures(keys[0]!);
  await recordAudit({ actor: user.username ?? user.id, action: "auth.sign-in", outcome: "success" });
  return { id: user.id, name: user.name ?? user.username, email: user.email };
}
