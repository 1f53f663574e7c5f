"use client";

import { useRef, useState, useTransition } from "react";
import type { ActionResult } from "@/server/actions/safe-action";
import { approveRunAction, rejectRunAction } from "@/server/actions/approval-actions";
import type { RunApproval, RunStatus } from "@/lib/run-states";
import { hasRole, type RoleName } from "@/server/auth/roles";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ReasonField, reasonFits } from "@/components/runs/reason-field";

// A guarded run's plan (what it will add, change, replace and destroy, by type; the addresses destroyed;
// the Kubernetes components removed) and, while it awaits approval, Approve / Reject for a second person.
// The server decides who may (run store): these buttons only hide what would be refused.

type Props = {
  runId: string;
  status: RunStatus;
  approval: RunApproval;
  requestedBy: string;
  actor: string;
  role: RoleName;
};
type Mode = "approve" | "reject";

const hhmm = (iso: string) => `${iso.slice(11, 16)} UTC`;

const COPY: Record<Mode, { title: string; body: string; confirm: string }> = {
  approve: {
    title: "Approve this plan?",
    body: "A worker continues the run and applies exactly this saved plan. If the infrastructure changed since the plan, the apply refuses it and nothing is applied.",
    confirm: "Approve",
  },
  reject: {
    title: "Reject this plan?",
    body: "The run ends rejected, nothing is applied and the cluster is free for another run.",
    confirm: "Reject",
  },
};

export function ApprovalPanel({ runId, status, approval, requestedBy, actor, role }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [mode, setMode] = useState<Mode>("approve");
  const [comment, setComment] = useState("");
  const [result, setResult] = useState<{ ok: boolean; message: string; errors?: string[] } | null>(null);
  const [pending, startTransition] = useTransition();
  const s = approval.summary;
  const waiting = status === "awaiting_approval";
  const isRequester = actor.toLowerCase() === requestedBy.replace(/^cli:/, "").toLowerCase();
  const mayDecide = waiting && !isRequester && hasRole(role, approval.approverRole);

  const open = (m: Mode) => {
    setMode(m);
    setResult(null);
    dialog.current?.showModal();
  };
  const confirm = () =>
    startTransition(async () => {
      const act = mode === "approve" ? approveRunAction : rejectRunAction;
      const res: ActionResult<unknown> = await act({ runId, comment });
      if (res.ok) {
        setResult({
          ok: true,
          message: mode === "approve" ? "Approved: a worker continues the run." : "Rejected: the run has ended.",
        });
        dialog.current?.close();
      } else {
        setResult({ ok: false, message: res.message, errors: res.errors?.comment });
      }
    });

  return (
    <Card title="Plan">
      <div className="flex flex-col gap-3 text-sm" data-testid="plan-summary">
        <p data-testid="plan-counts">
          <strong>{s.add}</strong> to add, <strong>{s.change}</strong> to change, <strong>{s.replace}</strong> to
          replace, <strong>{s.destroy}</strong> to destroy
        </p>
        {s.byType.length ? (
          <table className="w-full text-left text-xs">
            <thead className="text-slate-500">
              <tr>
                <th className="font-medium">Type</th>
                <th className="font-medium">add</th>
                <th className="font-medium">change</th>
                <th className="font-medium">replace</th>
                <th className="font-medium">destroy</th>
              </tr>
            </thead>
            <tbody>
              {s.byType.map((t) => (
                <tr key={t.type} data-testid="plan-type">
                  <td className="font-mono break-all">{t.type}</td>
                  <td>{t.add}</td>
                  <td>{t.change}</td>
                  <td>{t.replace}</td>
                  <td>{t.destroy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {s.destroyed.length ? (
          <details open={s.destroyed.length <= 10}>
            <summary className="cursor-pointer font-medium text-red-700 dark:text-red-400">
              Destroyed ({s.destroyed.length})
            </summary>
            <ul className="mt-1 font-mono text-xs break-all" data-testid="plan-destroyed">
              {s.destroyed.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </details>
        ) : null}
        {s.components.length ? (
          <details open={s.components.length <= 10}>
            <summary className="cursor-pointer font-medium">Components removed ({s.components.length})</summary>
            <ul className="mt-1 font-mono text-xs break-all" data-testid="plan-components">
              {s.components.map((c) => (
                <li key={`${c.kind}/${c.namespace}/${c.name}`}>
                  {c.kind} {c.namespace ? `${c.namespace}/` : ""}
                  {c.name}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        <p className="text-slate-600 dark:text-slate-400" data-testid="approval-state">
          {approval.decision === "approved"
            ? `Approved by ${approval.decidedBy}${approval.comment ? `: “${approval.comment}”` : ""}`
            : approval.decision === "rejected"
              ? `Rejected by ${approval.decidedBy}${approval.comment ? `: “${approval.comment}”` : ""}`
              : approval.decision === "expired"
                ? `Expired: nobody approved it by ${hhmm(approval.expiresAt)}`
                : waiting
                  ? isRequester
                    ? `Waiting for approval by an ${approval.approverRole} other than you, expires ${hhmm(approval.expiresAt)}.`
                    : `Waiting for approval by an ${approval.approverRole} other than ${requestedBy}, expires ${hhmm(approval.expiresAt)}.`
                  : null}
        </p>
        {mayDecide ? (
          <div className="flex flex-wrap gap-2">
            <Button data-testid="approve-run" onClick={() => open("approve")}>
              Approve
            </Button>
            <Button data-testid="reject-run" variant="secondary" onClick={() => open("reject")}>
              Reject
            </Button>
          </div>
        ) : null}
        {result?.ok ? (
          <p role="status" className="text-slate-700 dark:text-slate-300">
            {result.message}
          </p>
        ) : null}
      </div>
      <ConfirmDialog
        ref={dialog}
        testId="approval-dialog"
        title={COPY[mode].title}
        confirmLabel={COPY[mode].confirm}
        danger={mode === "approve" && s.destroy + s.replace > 0}
        pending={pending}
        canConfirm={reasonFits(comment)}
        error={result && !result.ok ? result.message : null}
        onConfirm={confirm}
      >
        <p className="text-sm text-slate-700 dark:text-slate-300">{COPY[mode].body}</p>
        <ReasonField label="Comment" value={comment} onChange={setComment} serverErrors={result?.errors} />
      </ConfirmDialog>
    </Card>
  );
}
