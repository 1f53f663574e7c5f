import "server-only";
import { z } from "zod";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { kubeError, kubeGetText } from "@/server/cluster/kube/kube-http";
import type { NodeInfo } from "@/server/cluster/sources/nodes";
import type { PodInfo } from "@/server/cluster/sources/pods";
import type { AlertRef, Problem, Severity } from "@/server/cluster/health/types";

// Alertmanager's firing alerts (kube-prometheus-stack), read through the apiserver's service proxy with the portal's
// read-only identity: portal-rbac.yaml grants `get services/proxy` on kube-prometheus-stack-alertmanager:9093, the
// same path that works on the real cluster without a port-forward. Shapes: prometheus/alertmanager api/v2/openapi.yaml.

/** Alertmanager's v2 alerts, every state: a silenced alert still shows, marked so. */
export const ALERTS_PATH =
  "/api/v1/namespaces/monitoring/services/kube-prometheus-stack-alertmanager:9093/proxy/api/v2/alerts?active=true&silenced=true&inhibited=true";

// Always firing by design (the dead man's switch) or only there to inhibit info alerts: never a problem.
const META_ALERTS = new Set(["Watchdog", "InfoInhibitor"]);

const labelSet = z.record(z.string(), z.string());
const gettableAlert = z.object({
  labels: labelSet.refine((l) => !!l.alertname, "has no alertname label"),
  annotations: labelSet,
  startsAt: z.string().datetime({ offset: true }),
  endsAt: z.string().datetime({ offset: true }),
  updatedAt: z.string().datetime({ offset: true }),
  fingerprint: z.string().min(1),
  receivers: z.array(z.object({ name: z.string() })),
  status: z.object({
    state: z.enum(["unprocessed", "active", "suppressed"]),
    silencedBy: z.array(z.string()),
    inhibitedBy: z.array(z.string()),
  }),
  generatorURL: z.string().optional(),
});

/** A firing alert as the portal shows it. */
export type AlertInfo = AlertRef & {
  labels: Record<string, string>;
  description: string | null;
  runbookUrl: string | null;
  inhibited: boolean;
};

/** Parses an /api/v2/alerts body; any missing or mistyped field is an error naming where, never a partial list. */
export function parseAlerts(text: string): AlertInfo[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`Alertmanager's answer is not JSON: ${text.trim().slice(0, 80) || "empty body"}`);
  }
  const r = z.array(gettableAlert).safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(
      `Alertmanager's answer is not an alert list: ${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`,
    );
  }
  return r.data
    .filter((a) => !META_ALERTS.has(a.labels.alertname!))
    .map((a) => ({
      name: a.labels.alertname!,
      severity: a.labels.severity ?? "none",
      startsAt: new Date(a.startsAt).toISOString(),
      fingerprint: a.fingerprint,
      silenced: a.status.silencedBy.length > 0,
      inhibited: a.status.inhibitedBy.length > 0,
      summary: a.annotations.summary ?? a.annotations.message ?? null,
      description: a.annotations.description ?? null,
      runbookUrl: a.annotations.runbook_url ?? null,
      labels: a.labels,
    }))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.fingerprint.localeCompare(b.fingerprint));
}

// The jobs whose `pod` label is the exporter's own pod: their alerts are about the node behind `instance`.
const NODE_JOBS = new Set(["node-exporter", "kubelet"]);
// A pod's controller from its name when the pod is gone (Deployment pods: name-<rs hash>-<5>, StatefulSet: name-<n>).
const guessWorkload = (pod: string) =>
  pod
    .replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, "")
    .replace(/-[a-z0-9]{5}$/, "")
    .replace(/-\d+$/, "");

/** Where an alert belongs, by its labels: node, then workload, then pod, then instance's node, then namespace. */
export function placeAlert(
  l: Record<string, string>,
  nodes: readonly NodeInfo[],
  pods: readonly PodInfo[],
): Pick<Problem, "node" | "namespace" | "workload" | "pod"> {
  const nodeOf = (instance: string) => {
    const host = instance.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
    return nodes.find((n) => n.name === host || n.internalIp === host)?.name;
  };
  if (l.node) return { node: l.node };
  if (l.instance && l.job && NODE_JOBS.has(l.job)) {
    const node = nodeOf(l.instance);
    if (node) return { node };
  }
  const ns = l.namespace;
  // kube-state-metrics' object alerts carry its own pod as `pod`; the object's name label says what they are about.
  const workload = l.deployment ?? l.statefulset ?? l.daemonset ?? l.job_name ?? l.cronjob;
  if (ns && workload) return { namespace: ns, workload };
  if (ns && l.pod)
    return {
      namespace: ns,
      pod: l.pod,
      workload: pods.find((p) => p.namespace === ns && p.name === l.pod)?.workload ?? guessWorkload(l.pod),
    };
  const node = l.instance ? nodeOf(l.instance) : undefined;
  if (node) return { node };
  return ns ? { namespace: ns } : {};
}

const SEVERITY: Record<string, Severity> = { critical: "critical", warning: "warning" };

/** One problem per alert of severity critical or warning; a silenced or inhibited one is info (shown, decides nothing). */
export function alertProblems(
  alerts: readonly AlertInfo[],
  nodes: readonly NodeInfo[],
  pods: readonly PodInfo[],
): Problem[] {
  return alerts.flatMap((a): Problem[] => {
    const sev = SEVERITY[a.severity];
    if (!sev) return [];
    const muted = a.silenced ? "silenced" : a.inhibited ? "inhibited" : null;
    const hint =
      [a.description, a.runbookUrl ? `Runbook: ${a.runbookUrl}` : null].filter(Boolean).join(" ") ||
      "See the alert in Alertmanager.";
    const { name, severity, startsAt, fingerprint, silenced, summary } = a;
    return [
      {
        type: "alert",
        severity: muted ? "info" : sev,
        source: "alerts",
        message: `${a.name}${summary ? `: ${summary}` : ""}${muted ? ` (${muted})` : ""}`,
        hint,
        ...placeAlert(a.labels, nodes, pods),
        alert: { name, severity, startsAt, fingerprint, silenced, summary },
      },
    ];
  });
}

/** Reads the firing alerts through the service proxy. */
export async function readAlerts(kc: KubeTarget, signal: AbortSignal): Promise<AlertInfo[]> {
  const { status, text } = await kubeGetText(kc, ALERTS_PATH, signal);
  if (status >= 200 && status < 300) return parseAlerts(text);
  let apiserver = false;
  try {
    apiserver = (JSON.parse(text) as { kind?: string }).kind === "Status";
  } catch {
    // Alertmanager's own plain-text answer.
  }
  if (apiserver && status === 404)
    throw new Error(
      `the Service monitoring/kube-prometheus-stack-alertmanager does not exist (404): has the monitoring phase run?`,
    );
  if (apiserver && status === 503)
    throw new Error(
      `Alertmanager is not reachable behind its Service (503): ${(JSON.parse(text) as { message?: string }).message ?? ""}`.trim(),
    );
  if (apiserver || status === 401 || status === 403) throw kubeError(kc, status, text);
  throw new Error(`Alertmanager answered ${status}: ${text.trim().slice(0, 120) || "no body"}`);
}
