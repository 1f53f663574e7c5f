import "server-only";
import { parseArgs } from "node:util";
import { resolveDatabase } from "@/server/db/resolve-database";
import { db } from "@/server/db";
import { UsageError } from "@/server/cli/usage-error";
import { requireCluster } from "@/server/cluster/get-health";
import { collectHealth, type HealthSnapshot } from "@/server/cluster/collect-health";
import { growthHistory } from "@/server/cluster/queue-samples";
import { SOURCE_NAMES, type HealthStatus } from "@/server/cluster/types";
import { SOURCE_TITLES } from "@/components/health/source-titles";

// npm run cli -- health --cluster NAME [--json]: the tiers and their reasons from a terminal, with an
// exit code for scripts and probes: 0 all ok, 1 something degraded or unknown, 2 something down.

const USAGE = "usage: npm run cli -- health --cluster NAME [--json]";
const MARK: Record<string, string> = { critical: "✖", warning: "!", info: "·" };

/** The exit code for a set of tier statuses. */
export function healthExitCode(statuses: HealthStatus[]): number {
  if (statuses.includes("down")) return 2;
  return statuses.every((s) => s === "ok") ? 0 : 1;
}

function printText(h: HealthSnapshot): void {
  console.log(`${h.cluster}: ${h.status}  (collected in ${h.durationMs} ms at ${h.at})`);
  for (const t of h.tiers) {
    console.log(`\n  Tier ${t.id}  ${t.title.padEnd(28)} ${t.status.toUpperCase()}`);
    for (const r of t.reasons) console.log(`    ${MARK[r.severity]} ${r.message}\n        hint: ${r.hint}`);
    for (const u of t.unknown) console.log(`    ? ${SOURCE_TITLES[u.source]} unavailable: ${u.error}`);
  }
  console.log("\n  Sources:");
  for (const s of SOURCE_NAMES) {
    const st = h.sources[s];
    console.log(`    ${SOURCE_TITLES[s].padEnd(18)} ${st.ok ? "ok" : `ERROR: ${st.error}`} (${st.durationMs} ms)`);
  }
}

/** Prints a cluster's health and sets process.exitCode from its tiers. */
export async function healthCommand(argv: string[]): Promise<void> {
  let values: { cluster?: string; json?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { cluster: { type: "string" }, json: { type: "boolean" } } }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  if (!values.cluster) throw new UsageError(USAGE);
  // A read-only probe: it never migrates (the portal's own start-up does), so it cannot race it.
  const database = await resolveDatabase({ migrate: false });
  try {
    // A probe reads the cluster itself, now: it must not depend on a worker being up.
    const cluster = await requireCluster(values.cluster);
    const h = await collectHealth(cluster.config, { history: growthHistory(db(), cluster.id) });
    if (values.json) {
      const { data: _data, ...rest } = h;
      console.log(JSON.stringify(rest, null, 2));
    } else printText(h);
    process.exitCode = healthExitCode(h.tiers.map((t) => t.status));
  } finally {
    await db().$disconnect();
    await database.stop();
  }
}
