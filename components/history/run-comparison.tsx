import Link from "next/link";
import { formatDelta, formatDuration } from "@/lib/format";
import { Card } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { RunComparison, StepSide } from "@/server/history/compare-runs";
import type { ErrorLine } from "@/server/history/find-first-differing-error";
import { formatUtc } from "@/components/ui/time";

// Two runs side by side: who and when, steps matched by key with their deltas, and where their errors part.

type Run = RunComparison["a"];
const dur = (ms: number | null) => (ms === null ? "—" : formatDuration(ms));

function RunHeader({ label, run }: { label: string; run: Run }) {
  return (
    <Card title={label} action={<StatusBadge status={run.status} />}>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-500">Run</dt>
        <dd>
          <Link className="font-mono text-sky-700 underline dark:text-sky-400" href={`/runs/${run.id}`}>
            {run.id}
          </Link>
        </dd>
        <dt className="text-slate-500">Pipeline</dt>
        <dd>
          {run.pipeline} on {run.cluster}
        </dd>
        <dt className="text-slate-500">Requested</dt>
        <dd>
          {formatUtc(run.createdAt)} by {run.requestedBy}
        </dd>
        <dt className="text-slate-500">Took</dt>
        <dd className="tabular-nums">{dur(run.durationMs)}</dd>
      </dl>
    </Card>
  );
}

function Side({ s }: { s: StepSide | null }) {
  if (!s) return <span className="text-slate-400">not in this run</span>;
  return (
    <span className="flex items-center gap-2">
      <StatusBadge status={s.status} />
      <span className="tabular-nums">{dur(s.durationMs)}</span>
    </span>
  );
}

function Delta({ ms }: { ms: number | null }) {
  if (ms === null) return <span className="text-slate-400">—</span>;
  const tone =
    ms > 1000
      ? "text-red-700 dark:text-red-400"
      : ms < -1000
        ? "text-emerald-700 dark:text-emerald-400"
        : "text-slate-500";
  return <span className={`tabular-nums ${tone}`}>{formatDelta(ms)}</span>;
}

function LineRef({ runId, line, label }: { runId: string; line: ErrorLine | null; label: string }) {
  return (
    <div className="flex flex-col gap-1">
      <span className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</span>
      {line ? (
        <Link
          href={`/runs/${runId}#L${line.seq}`}
          className="block rounded-md bg-slate-950 px-3 py-2 font-mono text-xs break-all whitespace-pre-wrap text-slate-100 hover:ring-2 hover:ring-sky-500"
        >
          <span className="text-slate-400">L{line.seq} </span>
          {line.text}
        </Link>
      ) : (
        <p className="text-sm text-slate-500">no error line here in this run</p>
      )}
    </div>
  );
}

/** The comparison body: run headers, the steps table and the first differing error line. */
export function RunComparisonView({ cmp }: { cmp: RunComparison }) {
  const { a, b, firstError: e } = cmp;
  const delta = a.durationMs !== null && b.durationMs !== null ? b.durationMs - a.durationMs : null;
  return (
    <div className="flex flex-col gap-4">
      <div className="grid gap-4 md:grid-cols-2">
        <RunHeader label="A (before)" run={a} />
        <RunHeader label="B (after)" run={b} />
      </div>
      <Card title="First differing error line">
        <div data-testid="first-error">
          {e.kind === "differs" ? (
            <div className="flex flex-col gap-3">
              <p className="text-sm">
                In step <strong>{e.stepTitle}</strong> (<code className="text-xs">{e.stepKey}</code>):
              </p>
              <div className="grid gap-3 md:grid-cols-2">
                <LineRef runId={a.id} line={e.a} label="A" />
                <LineRef runId={b.id} line={e.b} label="B" />
              </div>
            </div>
          ) : e.kind === "same" ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {e.examined
                ? `Both runs wrote the same ${e.examined} error line${e.examined === 1 ? "" : "s"} in their shared steps.`
                : "Neither run wrote an error line in their shared steps."}{" "}
              Compare the steps below for differences in outcome or time.
            </p>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              The first {e.examined} error lines are the same in both runs; open the runs&apos; logs to look further.
            </p>
          )}
        </div>
      </Card>
      <Card
        title="Steps"
        action={
          <span className="text-sm text-slate-600 dark:text-slate-400">
            total: <Delta ms={delta} />
          </span>
        }
      >
        <Table>
          <thead>
            <tr>
              <Th>Step</Th>
              <Th>A</Th>
              <Th>B</Th>
              <Th className="text-right">B − A</Th>
            </tr>
          </thead>
          <tbody>
            {cmp.steps.map((s) => (
              <tr key={s.key} data-testid={`compare-step-${s.key}`}>
                <Td>{s.title}</Td>
                <Td>
                  <Side s={s.a} />
                </Td>
                <Td>
                  <Side s={s.b} />
                </Td>
                <Td className="text-right">
                  <span data-testid="delta">
                    <Delta ms={s.deltaMs} />
                  </span>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
