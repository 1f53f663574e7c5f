// Argument parsing for the sandbox CLI: one command, positionals and --flags.

// Flags that take no value.
const BOOLEAN = new Set(["json", "if-down", "provisioned", "all", "consume", "help"]);

// A usage error: exit code 2.
export class UsageError extends Error {}

// Parsed command line.
export interface Args {
  command: string;
  positionals: string[];
  flags: Record<string, string | true>;
}

// Parses argv after the script name; `--flag value` or `--flag=value`.
export function parseArgs(argv: string[]): Args {
  const flags: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") continue;
    if (a.startsWith("--")) {
      const [k, v] = a.slice(2).split(/=(.*)/s) as [string, string | undefined];
      if (v !== undefined) flags[k] = v;
      else if (BOOLEAN.has(k)) flags[k] = true;
      else {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith("--")) throw new UsageError(`--${k} needs a value`);
        flags[k] = next;
        i++;
      }
    } else positionals.push(a);
  }
  return { command: positionals.shift() ?? "", positionals, flags };
}

// A numeric flag, checked.
export function numFlag(flags: Args["flags"], name: string, min: number, max: number): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}`);
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
  teardown [--phase components|infra]
  reset-node --node NAME
  check cluster|etcd|monitoring
  status [--json]
  fault <kind> [--node N | --pod NS/NAME | --app NAME | --queue NAME | --instance NODE]
  heal --all | <fault id>
  load --queue NAME --messages N [--consume]
  down`;
