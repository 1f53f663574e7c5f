import Link from "next/link";
import { DurationChart } from "@/components/history/duration-chart";
import { formatDuration, formatRate } from "@/lib/format";
import { formatUtc } from "@/components/ui/time";
import { StepTrendChart } from "@/components/history/step-trend-chart";
import { SuccessChart } from "@/components/history/success-chart";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import type { DurationWeek } from "@/server/history/find-duration-trends";
import type { RecoveryTimes } from "@/server/history/find-recovery-times";
import type { FailingStep, StepTrends } from "@/server/history/find-step-trends";

// The trends page's widgets. Each awaits its own promise, so each streams in behind its own <Suspense>.

type Scope = { cluster: string; pipeline: string };
const noRuns = ({ cluster, pipeline }: Scope) => (
  <>
    No finished {pipeline} run on {cluster} in this window. Start one from the{" "}
    <Link className="text-sky-700 underline dark:text-sky-400" href={`/c/${encodeURIComponent(cluster)}`}>
      cluster overview
    </Link>{" "}
    (or{" "}
    <code>
      npm run cli -- {pipeline} --cluster {cluster}
    </code>
    ), or pick another pipeline above.
  </>
);

/** A grey block the size of a widget while its data loads. */
export function WidgetSkeleton({ title, h = "h-64" }: { title: string; h?: string }) {
  return (
    <Card title={title}>
      <div className={`${h} animate-pulse rounded-md bg-slate-100 dark:bg-slate-800`} aria-busy="true" />
    </Card>
  );
}

/** p50/p90 per week, with the latest week's numbers in words. */
export async function DurationWidget({ data, scope }: { data: Promise<DurationWeek[]>; scope: Scope }) {
  const weeks = await data;
  const latest = weeks.findLast((w) => w.p50Ms !== null);
  return (
    <Card title="Duration of succeeded runs (p50, p90 per week)">
      {latest ? (
        <>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400" data-testid="duration-latest">
            Latest week with a success: p50 {formatDuration(latest.p50Ms!)}, p90 {formatDuration(latest.p90Ms!)}
          </p>
          <DurationChart weeks={weeks} />
        </>
      ) : (
        <EmptyState title="No succeeded run yet">{noRuns(scope)}</EmptyState>
      )}
    </Card>
  );
}

/** Success rate per week. */
export async function SuccessWidget({ data, scope }: { data: Promise<DurationWeek[]>; scope: Scope }) {
  const weeks = await data;
  const finished = weeks.reduce((n, w) => n + w.finished, 0);
  const succeeded = weeks.reduce((n, w) => n + w.succeeded, 0);
  return (
    <Card title="Success rate per week">
      {finished ? (
        <>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400" data-testid="success-total">
            {succeeded} of {finished} finished runs succeeded ({formatRate(succeeded / finished)})
          </p>
          <SuccessChart weeks={weeks} />
        </>
      ) : (
        <EmptyState title="No finished run yet">{noRuns(scope)}</EmptyState>
      )}
    </Card>
  );
}

/** Time to recovery: median, the latest, and an outage still open. */
export async function RecoveryWidget({ data }: { data: Promise<RecoveryTimes> }) {
  const r = await data;
  return (
    <Card title="Time to recovery (failure to next success)">
      {r.latest || r.open ? (
        <dl className="grid grid-cols-2 gap-3 text-sm" data-testid="recovery">
          <div>
            <dt className="text-slate-500">Median</dt>
            <dd className="text-lg font-semibold tabular-nums">
              {r.medianMs === null ? "—" : formatDuration(r.medianMs)}
            </dd>
            <dd className="text-xs text-slate-500">
              over {r.recoveries} recovered outage{r.recoveries === 1 ? "" : "s"}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Latest</dt>
            {r.latest ? (
              <>
                <dd className="text-lg font-semibold tabular-nums">{formatDuration(r.latest.ms!)}</dd>
                <dd className="text-xs">
                  <Link
                    className="text-sky-700 underline dark:text-sky-400"
                    href={`/runs/compare?a=${r.latest.recoveredRunId}&b=${r.latest.failedRunId}`}
                  >
                    compare the failure with its fix
                  </Link>
                </dd>
              </>
            ) : (
              <dd className="text-lg font-semibold">—</dd>
            )}
          </div>
          {r.open ? (
            <p
              className="col-span-2 rounded-md bg-red-50 px-3 py-2 text-red-800 dark:bg-red-950/50 dark:text-red-300"
              role="status"
            >
              Failing since <time dateTime={r.open.failedAt}>{formatUtc(r.open.failedAt)}</time> (
              <Link className="underline" href={`/runs/${r.open.failedRunId}`}>
                first failed run
              </Link>
              ); no success since.
            </p>
          ) : null}
        </dl>
      ) : (
        <EmptyState title="No failure in this window">
          Nothing to recover from. When a run fails, this shows how long it took until the next run succeeded.
        </EmptyState>
      )}
    </Card>
  );
}

/** Which steps fail most, with a link to the latest failure of each. */
export async function FailingStepsWidget({ data }: { data: Promise<FailingStep[]> }) {
  const steps = await data;
  return (
    <Card title="Steps that fail most">
      {steps.length ? (
        <Table>
          <thead>
            <tr>
              <Th>Step</Th>
              <Th className="text-right">Failures</Th>
              <Th>Latest failure</Th>
            </tr>
          </thead>
          <tbody data-testid="failing-steps">
            {steps.map((s) => (
              <tr key={s.key}>
                <Td>{s.title}</Td>
                <Td className="text-right tabular-nums">
                  {s.failures} of {s.attempts}
                </Td>
                <Td>
                  <Link className="text-sky-700 underline dark:text-sky-400" href={`/runs/${s.lastFailedRunId}`}>
                    {formatUtc(s.lastFailedAt)}
                  </Link>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <EmptyState title="No step failed in this window">
          When a step fails, it is ranked here with a link to its latest failed run.
        </EmptyState>
      )}
    </Card>
  );
}

/** Median per step per week, stacked, and a table of how each step's latest median compares with the first. */
export async function StepTrendWidget({ data, scope }: { data: Promise<StepTrends>; scope: Scope }) {
  const t = await data;
  const first = t.weeks[0];
  const last = t.weeks.at(-1);
  return (
    <Card title="Step durations (median per week)">
      {t.weeks.length ? (
        <div className="flex flex-col gap-3">
          <StepTrendChart trends={t} />
          <Table>
            <thead>
              <tr>
                <Th>Step</Th>
                <Th className="text-right">First week</Th>
                <Th className="text-right">Latest week</Th>
              </tr>
            </thead>
            <tbody data-testid="step-trends">
              {t.steps.map((s) => {
                const a = first?.p50Ms[s.key];
                const b = last?.p50Ms[s.key];
                const slower = a !== undefined && b !== undefined && b > a * 1.2;
                return (
                  <tr key={s.key}>
                    <Td>{s.title}</Td>
                    <Td className="text-right tabular-nums">{a === undefined ? "—" : formatDuration(a)}</Td>
                    <Td
                      className={`text-right tabular-nums ${slower ? "font-semibold text-red-700 dark:text-red-400" : ""}`}
                    >
                      {b === undefined ? "—" : formatDuration(b)}
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        </div>
      ) : (
        <EmptyState title="No step has succeeded yet">{noRuns(scope)}</EmptyState>
      )}
    </Card>
  );
}
