// npm run bench - runs every benchmark and prints its figures against the targets in the issues.
// Figures are medians (or the percentile named); a noisy shared machine moves them, so no test asserts them.
import { printRow, type BenchRow } from "./figures";
import { benchRunEngine } from "./run-engine";
import { benchSandboxList } from "./sandbox-list";
import { benchHealth } from "./health";
import { benchOverviewPage } from "./overview-page";
import { benchPortalMemory } from "./portal-memory";
import { benchLiveHealth } from "./live-health";

const suites: [string, () => Promise<BenchRow[]>][] = [
  ["run engine", benchRunEngine],
  ["sandbox lists (500 nodes / 15,000 pods)", benchSandboxList],
  ["tier health", benchHealth],
  ["overview page in Chromium", benchOverviewPage],
  ["portal at 500 nodes / 15,000 pods", benchPortalMemory],
  ["health followed live (time to detect, CPU, memory)", benchLiveHealth],
];

async function main() {
  const only = process.argv[2];
  let failed = 0;
  for (const [name, fn] of suites) {
    if (only && !name.includes(only)) continue;
    console.log(`\n## ${name}`);
    for (const r of await fn()) {
      if (!r.ok) failed++;
      printRow(r);
    }
  }
  console.log(`\n${failed ? `${failed} figure(s) missed their target` : "every figure met its target"}`);
  process.exit(0);
}

void main();
