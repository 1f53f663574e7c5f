// The CLI side of saved plans: `sandbox plan --action A --out DIR` writes plan.bin (the saved plan),
// plan.json (terraform's plan JSON format) and components.json; --plan FILE reads plan.bin back for the apply.
import fs from "node:fs";
import path from "node:path";
import { admin, Failed } from "./cli-client";
import { UsageError } from "./cli-args";
import type { Endpoints } from "./state-dir";
import { PLAN_ACTIONS, type Component, type SavedPlan } from "./plan";

// Writes a file whole or not at all.
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

// Asks the running sandbox for a plan and writes the three files into outDir; returns the lines to print.
export async function writePlanFiles(
  ep: Endpoints,
  action: string | undefined,
  outDir: string | undefined,
): Promise<string[]> {
  if (!action || !(PLAN_ACTIONS as readonly string[]).includes(action))
    throw new UsageError(`plan needs --action ${PLAN_ACTIONS.join("|")}`);
  if (!outDir) throw new UsageError("plan needs --out DIR");
  const r: { saved: SavedPlan; components: Component[] } = await admin(
    ep,
    "GET",
    `/plan?action=${encodeURIComponent(action)}`,
  );
  try {
    fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
    writeAtomic(path.join(outDir, "plan.bin"), `${JSON.stringify(r.saved)}\n`);
    writeAtomic(path.join(outDir, "plan.json"), `${JSON.stringify(r.saved.plan)}\n`);
    writeAtomic(path.join(outDir, "components.json"), `${JSON.stringify(r.components)}\n`);
  } catch (e) {
    throw new Failed(`cannot write the plan into ${outDir}: ${(e as Error).message}`);
  }
  const count = (a: string) => r.saved.plan.resource_changes.filter((c) => c.change.actions.join() === a).length;
  return [
    `sandbox: ${action} plan for cluster ${r.saved.cluster} (state ${r.saved.stateVersion.slice(0, 12)}): ${count("create")} to add, 0 to change, ${count("delete")} to destroy; ${r.components.length} component(s) to delete`,
    `sandbox: saved the plan to ${path.join(outDir, "plan.bin")} (JSON: plan.json, components.json)`,
  ];
}

// Reads a saved plan file for --plan FILE; the server checks it against its state.
export function readSavedPlan(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Failed(
      `cannot read the saved plan ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Failed(`${file} is not a sandbox saved plan (not JSON)`);
  }
}
