import "server-only";
import path from "node:path";
import type pg from "pg";
import { isNode, isPipeline, pipeline, type StepDef } from "@/server/runs/pipelines";
import { Redactor, secretValuesFrom } from "@/server/runs/redact";
import { finishRun, finishRunStep, setStepProcess, startRunStep, type ClaimedRun, type RunOutcome } from "@/server/runs/run-store";
import { LogWriter } from "@/server/worker/log-writer";
import { startStep, type StepProcess } from "@/server/worker/step-process";
import { isolatedCommand, stepEnvironment } from "@/server/worker/step-environment";

// Executes one claimed run: its steps in order, each a child process, with logs, cancel and deadline.
// Step and run state changes are the run store's (server/runs/run-store.ts); this keeps the processes.

export type { ClaimedRun } from "@/server/runs/run-store";
export type StopReason = "cancel" | "deadline" | "shutdown";
type Deps = { pool: pg.Pool; workerId: string; cancelGraceMs: number; capBytes: number; scriptsDir?: string };
type Outcome = RunOutcome;

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
    const node = (this.run.params as { node?: unknown } | null)?.node;
    if (node !== undefined && !isNode(node)) throw new Error(`node "${String(node)}" is not on the allow-list`);
    return pipeline(this.run.pipeline).steps({ node: node as never });
  }

  private async execute(): Promise<Outcome> {
    const { pool } = this.deps;
    const runId = this.run.id;
    const seq = await pool.query<{ max: number | null }>(`SELECT max(seq) AS max FROM "LogLine" WHERE "runId" = $1`, [runId]);
    const log = new LogWriter(pool, runId, seq.rows[0]?.max ?? 0, { capBytes: this.deps.capBytes });
    let outcome: Outcome;
    try {
      const defs = this.stepDefs();
      const env = stepEnvironment(this.run.cluster, runId);
      const redactor = new Redactor(secretValuesFrom(env));
      log.append(null, "system", `run ${runId}: ${this.run.pipeline} on ${this.run.cluster.name}, requested by ${this.run.requestedBy}: ${redactor.line(this.run.reason)}`);
      outcome = { status: "succeeded", error: null };
      for (let index = 0; index < defs.length; index++) {
        const def = defs[index]!;
        if (this.stop) break;
        if (!(await startRunStep(pool, runId, this.deps.workerId, index))) throw new Error("the run is no longer this worker's (it was swept or ended)");
        const script = path.join(this.deps.scriptsDir ?? path.resolve("infra/scripts"), def.script);
        log.append(index, "system", `$ infra/scripts/${def.script} ${def.args.join(" ")}`.trim());
        this.current = startStep({
          ...isolatedCommand(script, def.args, this.run.cluster),
          cwd: process.cwd(),
          env,
          onLine: (stream, text) => log.append(index, stream, redactor.line(text)),
          waitForRoom: () => log.drain(),
        });
        this.interruptedOnce = false;
        await setStepProcess(pool, runId, index, this.current.pgid);
        if (this.stop) this.interruptCurrent();
        const result = await this.current.done;
        if (this.killTimer) clearTimeout(this.killTimer);
        this.current = null;
        const { truncated, bytes } = log.endStep(index);
        const ok = result.exitCode === 0 && !this.stop;
        const status = this.stop ? "cancelled" : ok ? "succeeded" : "failed";
        log.append(index, "system", `${def.script} ${result.signal ? `ended by ${result.signal}` : `exited with code ${result.exitCode}`}`);
        await log.drain();
        await finishRunStep(pool, runId, this.deps.workerId, index, { status, exitCode: result.exitCode, signal: result.signal, truncated, logBytes: bytes });
        if (!ok) {
          if (!this.stop) outcome = { status: "failed", error: `step ${index + 1} (${def.title}) failed: ${result.signal ? `ended by ${result.signal}` : `exit code ${result.exitCode}`}` };
          break;
        }
      }
      if (this.stop) outcome = stopOutcome(this.stop, this.run.deadlineAt);
    } catch (err) {
      outcome = { status: "failed", error: `the worker could not run this pipeline: ${(err as Error).message}` };
    }
    log.append(null, "system", `run ${outcome.status}${outcome.error ? `: ${outcome.error}` : ""}`);
    await log.drain().catch(() => undefined);
    // Only the owner may end the run, and only once: a sweeper may have marked it interrupted meanwhile.
    await finishRun(pool, runId, this.deps.workerId, outcome, this.run.pipeline).catch((err: unknown) => {
      log.append(null, "system", `could not record the run's end: ${(err as Error).message}`);
    });
    return outcome;
  }
}

function stopOutcome(stop: StopReason, deadlineAt: Date): Outcome {
  if (stop === "deadline") return { status: "failed", error: `deadline passed: the run had to finish by ${deadlineAt.toISOString()}` };
  if (stop === "shutdown") return { status: "interrupted", error: "the worker shut down (SIGTERM) before the run finished; retry it as a new run" };
  return { status: "cancelled", error: null };
}
