import "server-only";
import type { RoleName } from "@/server/auth/roles";
import { requireRole } from "@/server/auth/require-user";
import * as audit from "@/server/audit/list-audit-events";
import * as clusters from "@/server/cluster/health/find-clusters";
import * as events from "@/server/cluster/reads/events";
import * as health from "@/server/cluster/health/get-health";
import * as onDemand from "@/server/cluster/reads/on-demand";
import * as podDetail from "@/server/cluster/reads/pod-detail";
import * as compare from "@/server/history/compare-runs";
import * as busiest from "@/server/history/default-pipeline";
import * as estimate from "@/server/history/estimate-run";
import * as durationTrends from "@/server/history/find-duration-trends";
import * as recovery from "@/server/history/find-recovery-times";
import * as stepTrends from "@/server/history/find-step-trends";
import * as deliveries from "@/server/notify/list-deliveries";
import * as findRuns from "@/server/runs/find-runs";
import * as getRun from "@/server/runs/get-run";
import * as runExtras from "@/server/runs/get-run-extras";
import * as search from "@/server/runs/search-runs";
import * as failure from "@/server/runs/summarize-failure";
import * as users from "@/server/users/manage-users";

// The reads that pages make, each behind the role it needs. Pages import their data functions from here and
// never from the modules below (test/page-guards.test.ts fails when one does), so a page that forgot its own
// requireViewer()/requireAdmin() still cannot read anything without a session.
//
// Why a wrapper and not a check inside each data function: the same functions serve the CLI, the worker and
// route handlers, which have no page session. The CLI acts as the host's operator (its audit actor is
// `cli:<OS user>`: whoever runs it on the portal's host holds the database anyway), the worker is the system
// itself, and route handlers are guarded by withRole (with-role.ts) with a JSON 401/403. So the undecorated
// functions stay the system path, with the same signatures as before, and this module is the only page-facing path.
//
// The check costs nothing extra: currentUser() is read once per request (React cache) and shared by the page's
// own guard and every read here.

function guarded<A extends unknown[], R>(role: RoleName, read: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    await requireRole(role);
    return read(...args);
  };
}

const viewer = <A extends unknown[], R>(read: (...args: A) => Promise<R>) => guarded("viewer", read);
const admin = <A extends unknown[], R>(read: (...args: A) => Promise<R>) => guarded("admin", read);

// Clusters and their health (viewer and up).
export const listClusters = viewer(clusters.listClusters);
export const findCluster = viewer(clusters.findCluster);
export const getHealth = viewer(health.getHealth);
export const queueSeries = viewer(health.queueSeries);
export const readerOf = viewer(onDemand.readerOf);
export const getPodDetail = viewer(podDetail.getPodDetail);
export const listEvents = viewer(events.listEvents);

// Runs and their history (viewer and up).
export const listActiveRuns = viewer(findRuns.listActiveRuns);
export const listRecentRuns = viewer(findRuns.listRecentRuns);
export const getRunSnapshot = viewer(getRun.getRunSnapshot);
export const getHealthSnapshot = viewer(runExtras.getHealthSnapshot);
export const summarizeFailure = viewer(failure.summarizeFailure);
export const searchRuns = viewer(search.searchRuns);
export const compareRuns = viewer(compare.compareRuns);
export const findStepMedians = viewer(estimate.findStepMedians);
export const findPipelineDurations = viewer(estimate.findPipelineDurations);
export const findBusiestPipeline = viewer(busiest.findBusiestPipeline);
export const findDurationTrends = viewer(durationTrends.findDurationTrends);
export const findRecoveryTimes = viewer(recovery.findRecoveryTimes);
export const findStepDurationTrends = viewer(stepTrends.findStepDurationTrends);
export const findFailingSteps = viewer(stepTrends.findFailingSteps);

// Admin reads: who did what, the users and the webhooks.
export const listAuditEvents = admin(audit.listAuditEvents);
export const listUsers = admin(users.listUsers);
export const listWebhooks = admin(deliveries.listWebhooks);
export const listDeliveries = admin(deliveries.listDeliveries);

/** The names above, for the test that checks pages import them only from here. */
export const PAGE_READS = [
  "listClusters",
  "findCluster",
  "getHealth",
  "queueSeries",
  "readerOf",
  "getPodDetail",
  "listEvents",
  "listActiveRuns",
  "listRecentRuns",
  "getRunSnapshot",
  "getHealthSnapshot",
  "summarizeFailure",
  "searchRuns",
  "compareRuns",
  "findStepMedians",
  "findPipelineDurations",
  "findBusiestPipeline",
  "findDurationTrends",
  "findRecoveryTimes",
  "findStepDurationTrends",
  "findFailingSteps",
  "listAuditEvents",
  "listUsers",
  "listWebhooks",
  "listDeliveries",
] as const;
