import Link from "next/link";
import type { Problem } from "@/server/cluster/health/types";
import { evidenceLabel, podHref } from "@/components/pods/pod-href";

// Problems in words, worst first, each with what to do next.
const MARK: Record<Problem["severity"], string> = {
  critical: "text-red-600",
  warning: "text-amber-600",
  info: "text-slate-500",
};

// With `cluster`, a pod's problem links to its evidence on the pod page (the crash output, the event).
export function ProblemList({
  problems,
  limit,
  empty = "No problems.",
  cluster,
}: {
  problems: Problem[];
  limit?: number;
  empty?: string;
  cluster?: string;
}) {
  if (!problems.length) return <p className="text-sm text-slate-600 dark:text-slate-400">{empty}</p>;
  const shown = limit ? problems.slice(0, limit) : problems;
  return (
    <ul className="flex flex-col gap-2 text-sm" data-testid="problems">
      {shown.map((p, i) => (
        <li key={`${p.type}:${p.message}:${i}`} className="flex gap-2" data-severity={p.severity}>
          <span className={`mt-0.5 text-xs font-semibold uppercase ${MARK[p.severity]}`}>
            {p.severity === "critical" ? "crit" : p.severity === "warning" ? "warn" : "info"}
          </span>
          <span>
            <span data-testid="problem-message">{p.message}</span>
            {limit ? null : <span className="block text-xs text-slate-500">{p.hint}</span>}
            {cluster && p.pod && p.namespace ? (
              <Link
                data-testid="problem-evidence"
                className="block text-xs text-sky-700 hover:underline dark:text-sky-400"
                href={podHref(cluster, p.namespace, p.pod, p.evidence)}
              >
                {evidenceLabel(p.evidence)} →
              </Link>
            ) : null}
          </span>
        </li>
      ))}
      {limit && problems.length > limit ? (
        <li className="text-xs text-slate-500">and {problems.length - limit} more</li>
      ) : null}
    </ul>
  );
}
