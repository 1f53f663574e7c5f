import "server-only";
import { z } from "zod";

// The only reader of process.env: every setting the portal takes, validated once.
const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .url("must be a postgresql:// URL")
    .refine((u) => /^postgres(ql)?:\/\//.test(u), "must start with postgresql://")
    .optional(),
  PORTAL_DATA_DIR: z.string().min(1).default(".data"),
  PORTAL_CONFIG: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  AUTH_URL: z.string().url().optional(),
  AUTH_GITHUB_ID: z.string().min(1).optional(),
  AUTH_GITHUB_SECRET: z.string().min(1).optional(),
  AUTH_GITHUB_ORG: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, "must be a GitHub organisation login")
    .optional(),
  PORTAL_LOCAL_LOGIN: bool.optional(),
  /** Where the pipeline scripts live (default infra/scripts of this checkout). */
  PORTAL_SCRIPTS_DIR: z.string().min(1).optional(),
  PORTAL_WORKER_ID: z.string().min(1).optional(),
  PORTAL_LOG_CAP_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  PORTAL_CANCEL_GRACE_MS: z.coerce.number().int().min(100).default(30_000),
  PORTAL_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  PORTAL_HEARTBEAT_MS: z.coerce.number().int().min(100).default(3_000),
  PORTAL_STALE_AFTER_MS: z.coerce.number().int().min(500).default(30_000),
  /** Log lines of runs that ended longer ago than this are pruned (runs, steps and audit are kept). */
  PORTAL_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  /** More variables steps inherit, beyond the built-in allow-list: comma-separated names or PREFIX_* patterns. */
  PORTAL_STEP_ENV: z
    .string()
    .regex(/^[A-Za-z0-9_*,\s]+$/, "comma-separated variable names or PREFIX_* patterns")
    .optional(),
  PORTAL_START_RATE_PER_MIN: z.coerce.number().int().min(1).default(6),
  SANDBOX_TIME_SCALE: z.coerce.number().positive().optional(),
  /** The portal's public base URL, for links in webhook messages (falls back to AUTH_URL). */
  PORTAL_URL: z.string().url().optional(),
  /** Bearer token for GET /api/metrics; unset turns the endpoint off (404). */
  PORTAL_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** How often the worker's background process reads a cluster's health while nobody is looking at it
   * (tier-change notifications, metrics). */
  PORTAL_HEALTH_WATCH_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** How often it reads a cluster's health while a page shows it (the web asks; the pages poll the stored reading). */
  /** Set by the worker for its background process, which ends when the worker is gone. */
  PORTAL_WORKER_PID: z.coerce.number().int().positive().optional(),
  PORTAL_HEALTH_COLLECT_MS: z.coerce.number().int().min(500).default(5_000),
});

export type Env = z.infer<typeof schema>;

/** Thrown for a bad setting; start-up prints its message as one line, without a stack. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses an environment (process.env by default) into typed settings. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`environment: ${issue.path.join(".")}: ${issue.message}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The process's settings, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** The value of a variable the cluster config names (a webhook's `urlEnv`); never logged. */
export function secretFromEnvironment(name: string): string | undefined {
  const v = process.env[name];
  return v ? v : undefined;
}

/** Exposes the raw environment to spawned children (steps inherit PATH, HOME and the like). */
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}
