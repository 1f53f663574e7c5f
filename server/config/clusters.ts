import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

// The clusters the portal manages, from a JSON config file; with none, the one sandbox cluster.

/** Thrown for a config file that does not parse or validate; its message is one line. */
export class ClusterConfigError extends Error {
  override name = "ClusterConfigError";
}

export const CLUSTER_NAME = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;

const links = z
  .object({
    grafana: z.string().url().optional(),
    argocd: z.string().url().optional(),
    rabbitmq: z.string().url().optional(),
    ec2Console: z.string().url().optional(),
  })
  .strict()
  .default({});

/** What a webhook can be told about: a run's start, approval and end, and a tier whose status changed and held. */
export const NOTIFY_EVENTS = [
  "run.started",
  "run.awaiting-approval",
  "run.approved",
  "run.rejected",
  "run.expired",
  "run.succeeded",
  "run.failed",
  "run.cancelled",
  "run.interrupted",
  "tier.changed",
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

// A webhook URL is a secret: inline `url`, or `urlEnv` naming the environment variable that holds it
// (that keeps it out of the file and out of the Cluster table's copy of this entry).
const webhook = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "must be lower-case letters, digits and dashes"),
    format: z.enum(["slack", "json"]),
    url: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL")
      .optional(),
    // Its name must mark it as a secret, so that run logs redact its value if a step ever prints it.
    urlEnv: z
      .string()
      .regex(
        /^[A-Z_][A-Z0-9_]*(SECRET|TOKEN)[A-Z0-9_]*$/,
        "must be an environment variable name containing SECRET or TOKEN (e.g. SLACK_WEBHOOK_SECRET)",
      )
      .optional(),
    events: z.array(z.enum(NOTIFY_EVENTS)).min(1).optional(),
  })
  .strict()
  .refine((w) => Boolean(w.url) !== Boolean(w.urlEnv), "set exactly one of url and urlEnv");

const webhooks = z
  .array(webhook)
  .max(10)
  .refine(
    (list) => new Set(list.map((w) => w.name)).size === list.length,
    "webhook names must be unique within a cluster",
  )
  .optional();

/**
 * Guarded runs: rebuild, teardown and provision first plan, then wait for a second person to approve.
 * `required` defaults to true for kind aws and false for the sandbox (clusterApproval fills the defaults).
 */
const approval = z
  .object({
    required: z.boolean().optional(),
    approverRole: z.enum(["operator", "admin"], { message: 'must be "operator" or "admin"' }).optional(),
    expiresAfterMinutes: z
      .number()
      .int("must be a whole number of minutes")
      .min(1, "must be at least 1 minute")
      .max(10_080, "must be at most 10080 minutes (a week)")
      .optional(),
  })
  .strict()
  .optional();

// Argo CD: the namespaces whose Applications the portal may Refresh and Sync (default ["argocd"]). An
// Application in any other namespace (apps-in-any-namespace) is shown but not operated on.
const argocd = z
  .object({
    appNamespaces: z
      .array(z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a namespace name"))
      .min(1)
      .max(20),
  })
  .strict()
  .optional();

/** The namespaces whose Argo CD Applications the portal may operate on, for one cluster. */
export function argoAppNamespaces(config: { argocd?: { appNamespaces: string[] } }): string[] {
  return config.argocd?.appNamespaces ?? ["argocd"];
}

const base = {
  name: z.string().regex(CLUSTER_NAME, "must be lower-case letters, digits and dashes (2-40), starting with a letter"),
  description: z.string().max(200).optional(),
  links,
  webhooks,
  /** How long a tier's new status must hold before webhooks hear of it (default 120 s). */
  tierChangeDebounceSeconds: z.number().int().min(0).max(86_400).optional(),
  approval,
  argocd,
};

const sandbox = z
  .object({
    ...base,
    kind: z.literal("sandbox"),
    stateDir: z.string().min(1).optional(),
    timeScale: z.number().positive().max(100).optional(),
    rabbitmq: z
      .object({ amqpUrl: z.string().url(), managementUrl: z.string().url(), vhost: z.string().min(1).optional() })
      .strict()
      .optional(),
  })
  .strict();

const aws = z
  .object({
    ...base,
    kind: z.literal("aws"),
    region: z.string().regex(/^[a-z]{2}-[a-z]+-\d$/, "must be an AWS region such as ap-northeast-2"),
    /** The admin kubeconfig: build-cluster.sh writes it and every run's scripts use it (KUBECONFIG). */
    kubeconfig: z.string().min(1),
    /** The read-only identity health is read with (infra/kubernetes/portal-rbac.yaml); default `kubeconfig`. */
    readKubeconfig: z.string().min(1).optional(),
    /** The identity Argo CD Refresh and Sync patch with; default `kubeconfig`. */
    writeKubeconfig: z.string().min(1).optional(),
    terraformVarFile: z.string().min(1).optional(),
    rabbitmqManagementUrl: z.string().url().optional(),
  })
  .strict();

const cluster = z.discriminatedUnion("kind", [sandbox, aws]);
const file = z
  .object({ clusters: z.array(cluster).min(1, "must list at least one cluster") })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.clusters.forEach((c, i) => {
      if (seen.has(c.name))
        ctx.addIssue({ code: "custom", path: ["clusters", i, "name"], message: `duplicate cluster name "${c.name}"` });
      seen.add(c.name);
    });
  });

export type ClusterConfig = z.infer<typeof cluster>;
export type SandboxClusterConfig = z.infer<typeof sandbox>;
export type AwsClusterConfig = z.infer<typeof aws>;
export type WebhookConfig = z.infer<typeof webhook>;

/** A cluster's approval rule with its defaults filled in. */
export type ApprovalPolicy = { required: boolean; approverRole: "operator" | "admin"; expiresAfterMinutes: number };

/** The approval rule of a cluster: required by default for kind aws, off by default for the sandbox; admin; 60 minutes. */
export function clusterApproval(
  c: Pick<ClusterConfig, "kind"> & { approval?: Partial<ApprovalPolicy> },
): ApprovalPolicy {
  return {
    required: c.approval?.required ?? c.kind === "aws",
    approverRole: c.approval?.approverRole ?? "admin",
    expiresAfterMinutes: c.approval?.expiresAfterMinutes ?? 60,
  };
}

/** The embedded default: one sandbox cluster whose state lives in the data folder. */
export function defaultClusters(dataDir: string): ClusterConfig[] {
  return [{ name: "growbin-sandbox", kind: "sandbox", stateDir: path.join(dataDir, "sandbox"), links: {} }];
}

/** Validates config text; `where` names the file in error messages. */
export function parseClusterConfig(text: string, where: string, dataDir: string): ClusterConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ClusterConfigError(`${where}: not valid JSON: ${(err as Error).message}`);
  }
  const result = file.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.length ? issue.path.join(".") : "(top level)";
    throw new ClusterConfigError(`${where}: ${key}: ${issue.message}`);
  }
  return result.data.clusters.map((c) =>
    c.kind === "sandbox" ? { ...c, stateDir: path.resolve(c.stateDir ?? path.join(dataDir, "sandbox", c.name)) } : c,
  );
}

/** Loads the clusters: from `configPath` when given (it must exist), else portal.config.json if present, else the default. */
export function loadClusterConfig(configPath: string | undefined, dataDir: string): ClusterConfig[] {
  const file = configPath ?? (fs.existsSync("portal.config.json") ? "portal.config.json" : undefined);
  if (!file) return defaultClusters(path.resolve(dataDir));
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ClusterConfigError(
      `${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseClusterConfig(text, file, path.resolve(dataDir));
}
