import type { Problem } from "@/server/cluster/health/types";
import { formatUtc } from "@/components/ui/time";

// Alertmanager's firing alerts among a page's problems: name, severity, since when (UTC), silenced or not, summary.
const TONE: Record<string, string> = { critical: "text-red-600", warning: "text-amber-600" };

/** The alerts of the alerts source, once each (a node's alert sits on every tier of the node). */
export function alertsOf(problems: readonly Problem[]): NonNullable<Problem["alert"]>[] {
  const seen = new Map<string, NonNullable<Problem["alert"]>>();
  for (const p of problems) if (p.alert && !seen.has(p.alert.fingerprint)) seen.set(p.alert.fingerprint, p.alert);
  return [...seen.values()].sort(
    (a, b) =>
      Number(a.silenced) - Number(b.silenced) ||
      (a.severity === b.severity ? 0 : a.severity === "critical" ? -1 : 1) ||
      a.startsAt.localeCompare(b.startsAt),
  );
}

/** A table of firing alerts; `error` when the alerts source failed this round. */
export function AlertsList({
  problems,
  error,
  empty = "No alert is firing.",
}: {
  problems: readonly Problem[];
  error?: string | null;
  empty?: string;
}) {
  const list = alertsOf(problems);
  if (error)
    return (
      <p className="text-sm text-amber-800 dark:text-amber-300" data-testid="alerts-error">
        Alertmanager could not be read: {error}
      </p>
    );
  if (!list.length)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="alerts-empty">
        {empty}
      </p>
    );
  return (
    <table className="w-full text-left text-sm" data-testid="alerts">
      <thead className="text-xs text-slate-500">
        <tr>
          <th className="py-1 pr-3 font-medium">Alert</th>
          <th className="pr-3 font-medium">Severity</th>
          <th className="pr-3 font-medium">Since</th>
          <th className="pr-3 font-medium">State</th>
          <th className="font-medium">Summary</th>
        </tr>
      </thead>
      <tbody>
        {list.map((a) => (
          <tr
            key={a.fingerprint}
            className="border-t border-slate-100 align-top dark:border-slate-800"
            data-testid="alert-row"
            data-alert={a.name}
            data-silenced={a.silenced}
          >
            <td className="py-1 pr-3 font-medium">{a.name}</td>
            <td className={`pr-3 text-xs font-semibold uppercase ${TONE[a.severity] ?? "text-slate-500"}`}>
              {a.severity}
            </td>
            <td className="pr-3 whitespace-nowrap tabular-nums">{formatUtc(a.startsAt)}</td>
            <td className="pr-3">{a.silenced ? <span className="text-slate-500">silenced</span> : "firing"}</td>
            <td className="text-slate-700 dark:text-slate-300">{a.summary ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
