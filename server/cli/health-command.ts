import "server-only";
import { openPortal } from "@/server/bootstrap/open-portal";
import { db } from "@/server/db";
import { UsageError, parseCommandLine } from "@/server/cli/usage-error";
import { EXIT } from "@/server/cli/exit-codes";
import { stripTerminalEscapes } from "@/server/cli/terminal-text";
import { requireCluster } from "@/server/cluster/health/get-health";
import { collectHealth, type HealthSnapshot } from "@/server/cluster/health/collect-health";
import { growthHistory } from "@/server/cluster/health/queue-samples";
import { SOURCE_NAMES, type HealthStatus } from "@/server/cluster/health/types";
import { SOURCE_TITLES } from "@/lib/health-sources";

// npm run -s cli -- health --cluster NAME [--json]: the tiers and their reasons from a terminal, with
// an exit code for scripts and probes (server/cli/exit-codes.ts): 0 all ok, 3 something degraded or
// unknown, 4 something down; 2 for a bad command line or an unknown cluster.

const USAGE = "usage: npm run -s cli -- health --cluster NAME [--json]";
const MARK: Record<string, string> = { critical: "✖", warning: "!", info: "·" };

/** The exit code for a set of tier statuses. */
export function healthExitCode(statuses: HealthStatus[]): number {
  if (statuses.includes("down")) return EXIT.down;
  return statuses.every((s) => s === "ok") ? EXIT.ok : EXIT.degraded;
}

function printText(h: HealthSnapshot): void {
  // Messages quote what the cluster's APIs answered: on a terminal, without escape sequences.
  const print = (text: string) =>
    console.log(process.stdout.isTTY ? text.split("\n").map(stripTerminalEscapes).join("\n") : text);
  print(`${h.cluster}: ${h.status}  (collected in ${h.durationMs} ms at ${h.at})`);
  for (const t of h.tiers) {
    print(`\n  Tier ${t.id}  ${t.title.padEnd(28)} ${t.status.toUpperCase()}`);
    for (const r of t.reasons) print(`    ${MARK[r.severity]} ${r.message}\n        hint: ${r.hint}`);
    for (const u of t.unknown) print(`    ? ${SOURCE_TITLES[u.source]} unavailable: ${u.error}`);
  }
  print("\n  Sources:");
  for (const s of SOURCE_NAMES) {
    const st = h.sources[s];
    print(`    ${SOURCE_TITLES[s].padEnd(18)} ${st.ok ? "ok" : `ERROR: ${st.error}`} (${st.durationMs} ms)`);
  }
}

/** Prints a cluster's health and sets process.exitCode from its tiers. */
export async function healthCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv, USAGE, {
    cluster: { type: "string" },
    json: { type: "boolean" },
  }) as { values: { cluster?: string; json?: boolean }; positionals: string[] };
  if (!values.cluster || positionals.length) throw new UsageError(USAGE);
  // Opened like every other entry point: migrated (a fresh clone's first command may be this one)
  // and with the config file's clusters mirrored, so a cluster just added is known here.
  const portal = await openPortal();
  try {
    if (!portal.clusters.some((c) => c.name === values.cluster)) {
      throw new UsageError(
        `unknown cluster "${values.cluster}"; configured: ${portal.clusters.map((c) => c.name).join(", ")} (see portal.config.json)`,
      );
    }
    // A probe reads the cluster itself, now: it must not depend on a worker being up.
    const cluster = await requireCluster(values.cluster);
    const h = await collectHealth(cluster.config, { history: growthHistory(db(), cluster.id) });
    if (values.json) {
      const { data: _data, ...rest } = h;
      console.log(JSON.stringify(rest, null, 2));
    } else printText(h);
    process.exitCode = healthExitCode(h.tiers.map((t) => t.status));
  } finally {
    await portal.close();
  }
}
