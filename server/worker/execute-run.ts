import "server-only";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { isNode, isPipeline, pipeline, type StepDef } from "@/server/runs/pipelines";
import { Redactor, secretValuesFrom } from "@/server/runs/redact";
import {
  awaitApproval,
  finishRun,
  finishRunStep,
  setStepProcess,
  startRunStep,
  type ClaimedRun,
  type RunOutcome,
  type SavedPlan,
} from "@/server/runs/run-store";
import { clusterApproval } from "@/server/config/clusters";
import { summarizePlan } from "@/server/plans/plan-summary";
import { stripAnsi } from "@/lib/ansi";
import { LogWriter } from "@/server/worker/log-writer";
import { startStep, type StepProcess } from "@/server/worker/step-process";
import { isolatedCommand, stepEnvironment } from "@/server/worker/step-environment";

// Executes one claimed run: its steps in order, each a child process, with logs, cancel and deadline.
// Step and run state changes are the run store's (server/runs/run-store.ts); this keeps the processes.

export type { ClaimedRun } from "@/server/runs/run-store";
export type StopReason = "cancel" | "deadline" | "shutdown";
type Deps = { pool: pg.Pool; workerId: string; cancelGraceMs: number; capBytes: number; scriptsDir?: string };
/** How an execution ended: a terminal state, or handed over to wait for approval. */
type Outcome = RunOutcome | { status: "awaiting_approval"; error: null };

export class RunExecution {
  private stop: StopReason | null = null;
  private current: StepProcess | null = null;
  private killTimer: NodeJS.Timeout | null = null;
  private interruptedOnce = false;
  readonly finished: Promise<Outcome>;

  constructor(
    private readonly deps: Deps,
    readonly run: ClaimedRun,
  ) {
    this.finished = this.execute();
  }

  /** Asks the run to stop: SIGINT once to the step's group now, SIGKILL after the grace period. */
  requestStop(reason: StopReason): void {
    this.stop ??= reason;
    this.interruptCurrent();
  }

  /** Force-kill: SIGKILL to the step's process group at once. */
  kill(): void {
    this.stop ??= "cancel";
    this.current?.signal("SIGKILL");
  }

  private interruptCurrent() {
    if (!this.current || this.interruptedOnce) return;
    this.interruptedOnce = true; // exactly one SIGINT: Terraform treats a second one as "abort now"
    this.current.signal("SIGINT");
    const step = this.current;
    this.killTimer = setTimeout(() => step.signal("SIGKILL"), this.deps.cancelGraceMs);
  }

  private stepDefs(): StepDef[] {
    if (!isPipeline(this.run.pipeline)) throw new Error(`unknown pipeline "${this.run.pipeline}"`);
    const params = this.run.params as { node?: unknown; guarded?: unknown } | null;
    const node = params?.node;
    if (node !== undefined && !isNode(node)) throw new Error(`node "${String(node)}" is not on the allow-list`);
    return pipeline(this.run.pipeline).steps({ node: node as never, guarded: params?.guarded === true });
  }

  private async execute(): Promise<Outcome> {
    const { pool } = this.deps;
    const runId = this.run.id;
    const seq = await pool.query<{ max: number | null }>(`SELECT max(seq) AS max FROM "LogLine" WHERE "runId" = $1`, [
      runId,
    ]);
    const log = new LogWriter(pool, runId, seq.rows[0]?.max ?? 0, { capBytes: this.deps.capBytes });
    let outcome: RunOutcome;
    const scratch: string[] = [];
    try {
      const defs = this.stepDefs();
      const env = stepEnvironment(this.run.cluster, runId);
      const redactor = new Redactor(secretValuesFrom(env));
      const resumed = this.run.doneSteps.length > 0;
      log.append(
        null,
        "system",
        resumed
          ? `run ${runId}: approved; continuing ${this.run.pipeline} on ${this.run.cluster.name} with the approved plan`
          : `run ${runId}: ${this.run.pipeline} on ${this.run.cluster.name}, requested by ${this.run.requestedBy}: ${redactor.line(this.run.reason)}`,
      );
      outcome = { status: "succeeded", error: null };
      for (let index = 0; index < defs.length; index++) {
        const def = defs[index]!;
        if (this.run.doneSteps.includes(index)) continue;
        if (this.stop) break;
        if (!(await startRunStep(pool, runId, this.deps.workerId, index)))
          throw new Error("the run is no longer this worker's (it was swept or ended)");
        const script = path.join(this.deps.scriptsDir ?? path.resolve("infra/scripts"), def.script);
        const planArgs = this.planArgs(def, scratch);
        const args = [...def.args, ...planArgs.args];
        log.append(index, "system", `$ infra/scripts/${def.script} ${args.join(" ")}`.trim());
        let stale: string | null = null;
        this.current = startStep({
          ...isolatedCommand(script, args, this.run.cluster),
          cwd: process.cwd(),
          env,
          onLine: (stream, text) => {
            if (def.plan === "apply" && STALE_PLAN.test(text)) stale ??= stripAnsi(text).trim();
            return log.append(index, stream, redactor.line(text));
          },
          waitForRoom: () => log.drain(),
        });
        this.interruptedOnce = false;
        await setStepProcess(pool, runId, index, this.current.pgid);
        if (this.stop) this.interruptCurrent();
        const result = await this.current.done;
        if (this.killTimer) clearTimeout(this.killTimer);
        this.current = null;
        let ok = result.exitCode === 0 && !this.stop;
        let saved: SavedPlan | null = null;
        let planError: string | null = null;
        if (ok && def.plan === "write") {
          try {
            saved = readSavedPlan(planArgs.dir!);
          } catch (err) {
            ok = false;
            planError = `the plan could not be read: ${(err as Error).message}`;
            log.append(index, "system", planError);
          }
        }
        const { truncated, bytes } = log.endStep(index);
        const status = this.stop ? "cancelled" : ok ? "succeeded" : "failed";
        log.append(
          index,
          "system",
          `${def.script} ${result.signal ? `ended by ${result.signal}` : `exited with code ${result.exitCode}`}`,
        );
        await log.drain();
        await finishRunStep(pool, runId, this.deps.workerId, index, {
          status,
          exitCode: result.exitCode,
          signal: result.signal,
          truncated,
          logBytes: bytes,
        });
        if (!ok) {
          if (!this.stop) {
            const why =
              planError ??
              (stale
                ? `${stale}; nothing was applied. Start a new run to plan again`
                : result.signal
                  ? `ended by ${result.signal}`
                  : `exit code ${result.exitCode}`);
            outcome = { status: "failed", error: `step ${index + 1} (${def.title}) failed: ${why}` };
          }
          break;
        }
        if (saved) {
          const waiting = await this.handOver(saved, log);
          if (waiting) return waiting;
        }
      }
      if (this.stop) outcome = stopOutcome(this.stop, this.run.deadlineAt);
    } catch (err) {
      outcome = { status: "failed", error: `the worker could not run this pipeline: ${(err as Error).message}` };
    } finally {
      for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
    }
    log.append(null, "system", `run ${outcome.status}${outcome.error ? `: ${outcome.error}` : ""}`);
    await log.drain().catch(() => undefined);
    // Only the owner may end the run, and only once: a sweeper may have marked it interrupted meanwhile.
    await finishRun(pool, runId, this.deps.workerId, outcome, this.run.pipeline).catch((err: unknown) => {
      log.append(null, "system", `could not record the run's end: ${(err as Error).message}`);
    });
    return outcome;
  }

  /** The extra arguments of a plan step (--out DIR) or an apply step (--plan FILE, the approved plan written out). */
  private planArgs(def: StepDef, scratch: string[]): { args: string[]; dir?: string } {
    if (!def.plan) return { args: [] };
    // mkdtemp makes the folder private (0700): the plan can hold values of the state.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-plan-"));
    scratch.push(dir);
    if (def.plan === "write") return { args: ["--out", dir], dir };
    if (!this.run.plan) throw new Error(`step "${def.title}" applies the approved plan, but this run has none stored`);
    const file = path.join(dir, "plan.bin");
    fs.writeFileSync(file, this.run.plan, { mode: 0o600 });
    return { args: ["--plan", file], dir };
  }

  /** After the plan step: store the plan and hand the run over for approval; null when it was cancelled meanwhile. */
  private async handOver(saved: SavedPlan, log: LogWriter): Promise<Outcome | null> {
    const terms = clusterApproval(this.run.cluster);
    const { add, change, destroy, replace } = saved.summary;
    if (!(await awaitApproval(this.deps.pool, this.run.id, this.deps.workerId, saved, terms))) return null;
    // The summary goes to the log too: the CLI following the run prints it, and it stays with the run.
    log.append(
      null,
      "system",
      `plan: ${add} to add, ${change} to change, ${replace} to replace, ${destroy} to destroy`,
    );
    for (const t of saved.summary.byType)
      log.append(null, "system", `  ${t.type}: +${t.add} ~${t.change} ±${t.replace} -${t.destroy}`);
    for (const a of saved.summary.destroyed) log.append(null, "system", `  destroys ${a}`);
    for (const c of saved.summary.components)
      log.append(null, "system", `  removes ${c.kind} ${c.namespace ? `${c.namespace}/` : ""}${c.name}`);
    log.append(
      null,
      "system",
      `awaiting approval by an ${terms.approverRole} other than ${this.run.requestedBy} within ${terms.expiresAfterMinutes} minutes: on the run page, or npm run -s cli -- approve ${this.run.id} --comment "…"`,
    );
    await log.drain().catch(() => undefined);
    return { status: "awaiting_approval", error: null };
  }
}

const STALE_PLAN = /Saved plan is stale/;

/** plan.sh --out DIR wrote plan.bin, plan.json and components.json: the file to apply and its summary. */
function readSavedPlan(dir: string): SavedPlan {
  const read = (name: string) => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new Error(`plan.sh wrote no ${name}`);
    return fs.readFileSync(file);
  };
  const parse = (name: string): unknown => {
    try {
      return JSON.parse(read(name).toString("utf8"));
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}`);
    }
  };
  const plan = read("plan.bin");
  if (!plan.length) throw new Error("plan.bin is empty");
  return { plan, summary: summarizePlan(parse("plan.json"), parse("components.json")) };
}

function stopOutcome(stop: StopReason, deadlineAt: Date): RunOutcome {
  if (stop === "deadline")
    return { status: "failed", error: `deadline passed: the run had to finish by ${deadlineAt.toISOString()}` };
  if (stop === "shutdown")
    return {
      status: "interrupted",
      error: "the worker shut down (SIGTERM) before the run finished; retry it as a new run",
    };
  return { status: "cancelled", error: null };
}
