import "server-only";
import type { z } from "zod";
import { currentUser, type CurrentUser } from "@/server/auth/current-user";
import { hasRole, type RoleName } from "@/server/auth/roles";
import { recordAudit } from "@/server/audit/record-audit";
import { AppError, ForbiddenError, UnauthenticatedError, publicMessage } from "@/server/errors";
import { log } from "@/server/log";

// The one chain every server action goes through: parse input (zod) -> session -> role (from the
// database) -> body -> audit. Server actions are public POST endpoints, so nothing here trusts the caller.
// Route handlers have their own guard, withRole (server/auth/with-role.ts); pages use server/auth/require-user.ts.

export type ActionResult<T> =
  | { ok: true; data: T; message?: string }
  | { ok: false; message: string; errors?: Record<string, string[]>; code?: string; detail?: Record<string, unknown> };

export type ActionContext = { user: CurrentUser };

type Definition<S extends z.ZodType, T> = {
  /** Audit name, e.g. "run.start". */
  action: string;
  role: RoleName;
  input: S;
  /** What the action touches, for the audit event. */
  target?: (input: z.infer<S>) => string | null;
  handler: (input: z.infer<S>, ctx: ActionContext) => Promise<T>;
  /** What the success audit event records besides who, what and the target (a role change's from and to). */
  auditDetail?: (result: NoInfer<T>) => Record<string, unknown>;
};

function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Builds a server action that accepts a plain object (or FormData) and returns an ActionResult. */
export function roleAction<S extends z.ZodType, T>(def: Definition<S, T>) {
  return async (raw: unknown): Promise<ActionResult<T>> => {
    const input = raw instanceof FormData ? Object.fromEntries(raw.entries()) : raw;
    const user = await currentUser().catch(() => null);
    const parsed = def.input.safeParse(input);
    const target = parsed.success ? (def.target?.(parsed.data) ?? null) : null;
    try {
      if (!user) throw new UnauthenticatedError("Your session has ended or is not valid. Sign in again.");
      if (!hasRole(user.role, def.role)) {
        throw new ForbiddenError(`Not allowed: this needs the ${def.role} role, and you are ${user.role}.`);
      }
      if (!parsed.success) {
        await recordAudit({
          actor: user.actor,
          action: def.action,
          target,
          outcome: "refused",
          detail: { reason: "invalid input" },
        });
        return { ok: false, message: "Some fields are not valid.", errors: fieldErrors(parsed.error), code: "invalid" };
      }
      const data = await def.handler(parsed.data, { user });
      await recordAudit({
        actor: user.actor,
        action: def.action,
        target,
        outcome: "success",
        ...(def.auditDetail ? { detail: def.auditDetail(data) } : {}),
      });
      return { ok: true, data };
    } catch (err) {
      const actor = user?.actor ?? "anonymous";
      if (err instanceof AppError) {
        await recordAudit({ actor, action: def.action, target, outcome: "refused", detail: { reason: err.message } });
        const detail = (err as { detail?: Record<string, unknown> }).detail;
        return { ok: false, message: err.message, code: err.name, ...(detail ? { detail } : {}) };
      }
      log.error("server action failed", { action: def.action, error: err });
      await recordAudit({ actor, action: def.action, target, outcome: "error" }).catch(() => undefined);
      return { ok: false, message: publicMessage(err), code: "internal" };
    }
  };
}
