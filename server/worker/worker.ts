import "server-only";
import crypto from "node:crypto";
import os from "node:os";
import type pg from "pg";
import { claimRun, expireApprovals, heartbeatRuns, type ClaimedRun } from "@/server/runs/run-store";
import { RUN_CANCEL, RUN_QUEUED } from "@/server/runs/channels";
import { RunExecution } from "@/server/worker/execute-run";
import { sweepStaleRuns } from "@/server/worker/sweep-runs";
import { log } from "@/server/log";
import { pgPool } from "@/server/db/pool";
import { notifyHub } from "@/server/db/notify-hub";

// A worker: claims queued runs (server/runs/run-store.ts claimRun: FOR UPDATE SKIP LOCKED, so several
// workers can run), executes them, heartbeats, sweeps runs whose worker died, and shuts down cleanly.
// Processes, timers and signals live here; every change of a run's state goes through the run store.

export type WorkerOptions = {
  databaseUrl: string;
  id?: string;
  heartbeatMs: number;
  staleAfterMs: number;
  cancelGraceMs: number;
  capBytes: number;
  maxConcurrent?: number;
  /** Claim only this run (the CLI's "no worker alive" mode). */
  onlyRunId?: string;
  scriptsDir?: string;
};

export class Worker {
  readonly id: string;
  readonly pool: pg.Pool;
  private unlisten: (() => void)[] = [];
  private readonly runs = new Map<string, RunExecution>();
  private timers: NodeJS.Timeout[] = [];
  private claiming: Promise<void> | null = null;
  private stopping = false;

  constructor(private readonly opts: WorkerOptions) {
    this.id = opts.id ?? `${os.hostname()}-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
    this.pool = pgPool(opts.databaseUrl); // the process's pool, shared with its other jobs: never ended here
  }

  /** Registers, listens, sweeps once, and starts claiming. */
  async start(): Promise<void> {
    await this.pool.query(
      `INSERT INTO "Worker" (id, hostname, pid) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET "heartbeatAt" = now(), "stoppingAt" = NULL`,
      [this.id, os.hostname(), process.pid],
    );
    // null: the hub reconnected after a lost connection; claim and check what may have been missed.
    const hub = notifyHub(this.opts.databaseUrl);
    this.unlisten.push(await hub.subscribeAll(RUN_QUEUED, () => void this.claim()));
    this.unlisten.push(
      await hub.subscribeAll(
        RUN_CANCEL,
        (id) => void ((id === null || this.runs.has(id)) && this.checkRuns().catch(() => undefined)),
      ),
    );
    await this.sweep();
    this.timers.push(setInterval(() => void this.heartbeat(), this.opts.heartbeatMs));
    this.timers.push(setInterval(() => void this.sweep(), Math.max(1_000, this.opts.heartbeatMs)));
    // Polling is only a safety net for a missed NOTIFY (e.g. a reconnect); NOTIFY does the waking.
    this.timers.push(setInterval(() => void this.claim(), 10_000));
    await this.claim();
  }

  /** Number of runs executing here. */
  get active(): number {
    return this.runs.size;
  }

  /** Resolves when the given run (claimed by this worker) has finished. */
  async waitFor(runId: string): Promise<void> {
    for (;;) {
      const exec = this.runs.get(runId);
      if (exec) {
        await exec.finished;
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private claim(): Promise<void> {
    if (this.claiming || this.stopping) return this.claiming ?? Promise.resolve();
    this.claiming = this.claimLoop().finally(() => {
      this.claiming = null;
    });
    return this.claiming;
  }

  private async claimLoop(): Promise<void> {
    try {
      while (!this.stopping && this.runs.size < (this.opts.maxConcurrent ?? 4)) {
        const claimed = await claimRun(this.pool, this.id, this.opts.onlyRunId ?? null);
        if (!claimed) break;
        this.launch(claimed);
        if (this.opts.onlyRunId) break;
      }
    } catch (err) {
      log.error("claim failed", { error: err });
    }
  }

  private launch(claimed: ClaimedRun) {
    const exec = new RunExecution(
      {
        pool: this.pool,
        workerId: this.id,
        cancelGraceMs: this.opts.cancelGraceMs,
        capBytes: this.opts.capBytes,
        scriptsDir: this.opts.scriptsDir,
      },
      claimed,
    );
    this.runs.set(claimed.id, exec);
    void exec.finished.then(() => {
      this.runs.delete(claimed.id);
      void this.claim();
    });
  }

  /** Heartbeat for the worker and its runs; picks up cancel and kill requests and passed deadlines. */
  private async heartbeat(): Promise<void> {
    try {
      await this.pool.query(`UPDATE "Worker" SET "heartbeatAt" = now() WHERE id = $1`, [this.id]);
      await this.checkRuns();
    } catch (err) {
      log.error("heartbeat failed", { error: err });
    }
  }

  private async checkRuns(): Promise<void> {
    if (!this.runs.size) return;
    for (const r of await heartbeatRuns(this.pool, this.id, [...this.runs.keys()])) {
      const exec = this.runs.get(r.id);
      if (!exec) continue;
      if (r.killRequested) exec.kill();
      else if (r.status === "cancelling") exec.requestStop("cancel");
      else if (r.overdue) exec.requestStop("deadline");
    }
  }

  private async sweep(): Promise<void> {
    try {
      const ids = await sweepStaleRuns(this.pool, this.opts.staleAfterMs);
      if (ids.length) log.warn("interrupted runs whose worker was lost", { runs: ids });
      const expired = await expireApprovals(this.pool);
      if (expired.length) log.info("expired runs nobody approved in time", { runs: expired });
    } catch (err) {
      log.error("sweep failed", { error: err });
    }
  }

  /** Stops claiming; lets runs finish within `graceMs`, then interrupts the rest and records why. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    await this.claiming; // a claim in flight finishes (and its run is counted below) before we wind down
    await this.pool.query(`UPDATE "Worker" SET "stoppingAt" = now() WHERE id = $1`, [this.id]).catch(() => undefined);
    const all = () => Promise.all([...this.runs.values()].map((r) => r.finished));
    const finished = await Promise.race([
      all().then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), graceMs)),
    ]);
    if (!finished) {
      for (const exec of this.runs.values()) exec.requestStop("shutdown");
      await all();
    }
    for (const t of this.timers) clearInterval(t);
    for (const off of this.unlisten.splice(0)) off();
    await this.pool.query(`DELETE FROM "Worker" WHERE id = $1`, [this.id]).catch(() => undefined);
  }
}

/** True when some worker heartbeated within `staleMs` and is not shutting down. */
export async function liveWorkerExists(pool: pg.Pool | pg.Client, staleMs: number): Promise<boolean> {
  const res = await pool.query(
    `SELECT 1 FROM "Worker" WHERE "stoppingAt" IS NULL AND "heartbeatAt" > now() - make_interval(secs => $1::float8 / 1000) LIMIT 1`,
    [staleMs],
  );
  return (res.rowCount ?? 0) > 0;
}
