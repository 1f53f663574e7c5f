import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { TrendFilters } from "@/components/history/trend-filters";
import {
  DurationWidget,
  FailingStepsWidget,
  RecoveryWidget,
  StepTrendWidget,
  SuccessWidget,
  WidgetSkeleton,
} from "@/components/history/trend-widgets";
import { requireViewer } from "@/server/auth/require-user";
import {
  findBusiestPipeline,
  findCluster,
  findDurationTrends,
  findFailingSteps,
  findRecoveryTimes,
  findStepDurationTrends,
  listClusters,
} from "@/server/auth/page-reads";
import { isPipeline, pipeline as pipelineDef, PIPELINES } from "@/server/runs/pipelines";

export const metadata: Metadata = { title: "Run trends" };

type Props = { searchParams: Promise<{ cluster?: string; pipeline?: string }> };

// Trends of one pipeline on one cluster over the last 12 weeks: durations, success rate, steps, recovery.
export default async function TrendsPage({ searchParams }: Props) {
  // Request data first: the database is read only when rendering a request, never while building.
  const [sp, jar] = await Promise.all([searchParams, cookies()]);
  await requireViewer();
  const clusters = await listClusters();
  const name = sp.cluster ?? clusters.find((c) => c.name === jar.get("cluster")?.value)?.name ?? clusters[0]?.name;
  const cluster = name ? await findCluster(name) : null;
  if (!cluster) notFound();
  // No pipeline picked: the one that has run most here lately, so a first visit is not an empty Rebuild.
  const pipeline = sp.pipeline ?? (await findBusiestPipeline(cluster.id)) ?? "rebuild";
  if (!isPipeline(pipeline)) notFound();
  // Started here, awaited by each widget: the queries run in parallel and each widget streams in when its own is done.
  const filter = { clusterId: cluster.id, pipeline, weeks: 12 };
  const durations = findDurationTrends(filter);
  const steps = findStepDurationTrends(filter);
  const failing = findFailingSteps(filter);
  const recovery = findRecoveryTimes(filter);
  const scope = { cluster: cluster.name, pipeline };
  return (
    <div className="flex flex-col gap-4">
      <header className="flex flex-col gap-1">
        <h1 className="text-xl font-semibold">
          Trends: {pipelineDef(pipeline).title} on {cluster.name}
        </h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          The last 12 weeks, by the week each run was requested (weeks start on Monday, UTC).
        </p>
      </header>
      <TrendFilters
        clusters={clusters.map((c) => c.name)}
        pipelines={PIPELINES.map((p) => ({ name: p, title: pipelineDef(p).title }))}
        cluster={cluster.name}
        pipeline={pipeline}
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Suspense fallback={<WidgetSkeleton title="Duration of succeeded runs (p50, p90 per week)" />}>
          <DurationWidget data={durations} scope={scope} />
        </Suspense>
        <Suspense fallback={<WidgetSkeleton title="Success rate per week" />}>
          <SuccessWidget data={durations} scope={scope} />
        </Suspense>
        <Suspense fallback={<WidgetSkeleton title="Time to recovery (failure to next success)" h="h-24" />}>
          <RecoveryWidget data={recovery} />
        </Suspense>
        <Suspense fallback={<WidgetSkeleton title="Steps that fail most" h="h-24" />}>
          <FailingStepsWidget data={failing} />
        </Suspense>
      </div>
      <Suspense fallback={<WidgetSkeleton title="Step durations (median per week)" h="h-72" />}>
        <StepTrendWidget data={steps} scope={scope} />
      </Suspense>
    </div>
  );
}
