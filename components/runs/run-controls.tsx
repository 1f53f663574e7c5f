"use client";

import { useRef, useState, useTransition } from "react";
import type { ActionResult } from "@/server/actions/safe-action";
import { cancelRunAction, forceKillRunAction } from "@/server/actions/run-actions";
import type { RunStatus } from "@/lib/run-states";
import { cancelRequirement } from "@/lib/cancel-rule";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { hasRole, may, OPERATION_ROLES } from "@/server/auth/roles";

type Props = {
  runId: string;
  status: RunStatus;
  role: "viewer" | "operator" | "admin";
  pipeline?: string;
  cluster?: string;
  steps?: readonly { key: string; status: string }[];
};
type Mode = "cancel" | "kill";

const COPY: Record<Mode, { title: string; body: string; confirm: string; done: string }> = {
  cancel: {
    title: "Cancel this run?",
    body: "The running step gets SIGINT, so Terraform can save its state and release its lock; after a grace period the step is killed. Steps not yet started are skipped.",
    confirm: "Cancel run",
    done: "Cancel requested. The run stops once the current step has cleaned up.",
  },
  kill: {
    title: "Force kill this run?",
    body: "SIGKILL goes to the step's whole process group now, without waiting for cleanup. Terraform state or locks may be left behind and need repair by hand.",
    confirm: "Force kill",
    done: "Force kill sent.",
  },
};

/** Cancel (operator, admin) and force-kill (admin, while cancelling) for one run, each confirmed first. */
export function RunControls({ runId, status, role, pipeline = "", cluster, steps = [] }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [mode, setMode] = useState<Mode>("cancel");
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  // Once a rebuild or teardown is destroying, a cancel strands the cluster: admins only, and said so (lib/cancel-rule.ts).
  const need = cancelRequirement({ pipeline, cluster }, steps);
  const cancellable = status === "queued" || status === "running" || status === "awaiting_approval";
  const canCancel = cancellable && may(role, "run.cancel") && hasRole(role, need.role);
  const canKill = status === "cancelling" && may(role, "run.force-kill");
  // An operator sees why there is no Force kill while the run cleans up (it skips the cleanup).
  const killReason =
    status === "cancelling" && !canKill && may(role, "run.cancel")
      ? `Force kill needs the ${OPERATION_ROLES["run.force-kill"]} role: it skips the step's cleanup.`
      : null;

  const open = (m: Mode) => {
    setMode(m);
    setResult(null);
    dialog.current?.showModal();
  };
  const confirm = () =>
    startTransition(async () => {
      const res: ActionResult<unknown> = await (mode === "cancel"
        ? cancelRunAction({ runId })
        : forceKillRunAction({ runId }));
      setResult(res.ok ? { ok: true, message: res.message ?? COPY[mode].done } : { ok: false, message: res.message });
      dialog.current?.close();
    });

  if (!canCancel && !canKill && !killReason && !result) {
    return cancellable && need.warning && may(role, "run.cancel") ? (
      <p className="text-sm text-amber-800 dark:text-amber-300" data-testid="cancel-needs-admin">
        {need.warning}
      </p>
    ) : null;
  }
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        {canCancel ? (
          <Button data-testid="cancel-run" variant="secondary" onClick={() => open("cancel")}>
            Cancel run
          </Button>
        ) : null}
        {canKill ? (
          <Button data-testid="force-kill" variant="danger" onClick={() => open("kill")}>
            Force kill
          </Button>
        ) : null}
      </div>
      {killReason ? (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="force-kill-reason">
          {killReason}
        </p>
      ) : null}
      {result ? (
        <p
          role={result.ok ? "status" : "alert"}
          className={
            result.ok ? "text-sm text-slate-700 dark:text-slate-300" : "text-sm text-red-700 dark:text-red-400"
          }
        >
          {result.message}
        </p>
      ) : null}
      <ConfirmDialog
        ref={dialog}
        title={COPY[mode].title}
        confirmLabel={COPY[mode].confirm}
        danger
        pending={pending}
        onConfirm={confirm}
      >
        <p className="text-sm text-slate-700 dark:text-slate-300">{COPY[mode].body}</p>
        {mode === "cancel" && need.warning ? (
          <p className="text-sm font-medium text-red-700 dark:text-red-400" data-testid="cancel-warning">
            {need.warning}
          </p>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
