// Argument parsing for the sandbox CLI: one command, positionals and --flags.
// Argument parsing is node:util parseArgs (strict); this module only turns its errors into the CLI's
// usage errors, worded as before ("--port needs a value"), so the exit code stays 2.
import { parseArgs as parseNodeArgs, type ParseArgsConfig } from "node:util";

// Every flag the commands read: booleans take no value, the rest one string each.
const BOOLEAN = ["json", "if-down", "provisioned", "all", "consume", "help"] as const;
const STRING = [
  "state",
  "port",
  "cluster",
  "time-scale",
  "nodes",
  "pods-per-node",
  "amqp-url",
  "rabbitmq-api",
  "rabbitmq-vhost",
  "phase",
  "node",
  "pod",
  "app",
  "queue",
  "instance",
  "messages",
  "action",
  "out",
  "plan",
] as const;
const OPTIONS: NonNullable<ParseArgsConfig["options"]> = Object.fromEntries([
  ...BOOLEAN.map((k) => [k, { type: "boolean" as const }]),
  ...STRING.map((k) => [k, { type: "string" as const }]),
]);

// A usage error: exit code 2.
export class UsageError extends Error {}

// Parsed command line.
export interface Args {
  command: string;
  positionals: string[];
  flags: Record<string, string | true>;
}

// Node's message names the option as '--port' or '--port <value>'.
const optionIn = (message: string) => /'(--?[^' ]+)/.exec(message)?.[1] ?? "an option";

// Parses argv after the script name; `--flag value` or `--flag=value`.
export function parseArgs(argv: string[]): Args {
  let parsed: ReturnType<typeof parseNodeArgs>;
  try {
    parsed = parseNodeArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const { code, message } = e as { code?: string; message: string };
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option ${optionIn(message)}`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const flag = optionIn(message);
      throw new UsageError(
        /does not take an argument/.test(message) ? `${flag} takes no value` : `${flag} needs a value`,
      );
    }
    throw e;
  }
  const flags: Args["flags"] = {};
  for (const [k, v] of Object.entries(parsed.values)) if (typeof v === "string" || v === true) flags[k] = v;
  const positionals = [...parsed.positionals];
  return { command: positionals.shift() ?? "", positionals, flags };
}

// A numeric flag, checked.
export function numFlag(flags: Args["flags"], name: string, min: number, max: number): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a number from ${min} to ${max}`);
  return n;
}

// A string flag, checked.
export function strFlag(flags: Args["flags"], name: string): string | undefined {
  const v = flags[name];
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}

// The help text.
export const USAGE = `usage: npm run sandbox -- <command> [--state DIR]
  up [--port N] [--cluster NAME] [--time-scale X] [--nodes N --pods-per-node M] [--provisioned] [--if-down]
     [--amqp-url URL --rabbitmq-api URL --rabbitmq-vhost VHOST]
  provision [--phase infra|inventory|os|kubernetes|cni|storage|addons|monitoring|gitops|messaging|data|apps|wait-nodes]
            [--plan FILE (with --phase infra)]
  teardown [--phase components|infra] [--plan FILE (with --phase infra)]
  plan --action provision|teardown|rebuild --out DIR
  reset-node --node NAME
  check cluster|etcd|monitoring
  status [--json]
  fault <kind> [--node N | --pod NS/NAME | --app NAME | --queue NAME | --instance NODE]
  heal --all | <fault id>
  load --queue NAME --messages N [--consume]
  down`;
