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

const base = {
  name: z.string().regex(CLUSTER_NAME, "must be lower-case letters, digits and dashes (2-40), starting with a letter"),
  description: z.string().max(200).optional(),
  links,
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
    kubeconfig: z.string().min(1),
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
      if (seen.has(c.name)) ctx.addIssue({ code: "custom", path: ["clusters", i, "name"], message: `duplicate cluster name "${c.name}"` });
      seen.add(c.name);
    });
  });

export type ClusterConfig = z.infer<typeof cluster>;
export type SandboxClusterConfig = z.infer<typeof sandbox>;
export type AwsClusterConfig = z.infer<typeof aws>;

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
    throw new ClusterConfigError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseClusterConfig(text, file, path.resolve(dataDir));
}
