"use client";

import { useId, useRef, useState, useTransition, type ReactNode, type Ref } from "react";
import type { ActionResult } from "@/server/actions/safe-action";
import { cancelRunAction, forceKillRunAction } from "@/server/actions/run-actions";
import type { RunStatus } from "@/components/runs/use-run-events";
import { Button } from "@/components/ui/button";

/**
 * A modal confirmation on the native <dialog>: showModal() gives focus trapping, Escape and an inert page for free.
 * Open it with `ref.current.showModal()`; focus goes to its autoFocus field and returns to the opener on close.
 */
export function ConfirmDialog({ ref, title, children, confirmLabel, danger, pending, canConfirm = true, error, onConfirm, onClose }: {
  ref: Ref<HTMLDialogElement>;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending?: boolean;
  canConfirm?: boolean;
  error?: ReactNode;
  onConfirm: () => void;
  onClose?: () => void;
}) {
  const titleId = useId();
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-950/50 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100"
    >
      <form
        className="flex flex-col gap-4 p-5"
        onSubmit={(e) => {
          e.preventDefault();
          if (canConfirm && !pending) onConfirm();
        }}
      >
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        {children}
        {error ? (
          <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-300">
            {error}
          </div>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={(e) => e.currentTarget.closest("dialog")?.close()}>
            Back
          </Button>
          <Button type="submit" data-testid="confirm-submit" variant={danger ? "danger" : "primary"} disabled={!canConfirm || pending} aria-busy={pending || undefined}>
            {pending ? "Working…" : confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}

type Props = { runId: string; status: RunStatus; role: "viewer" | "operator" | "admin" };
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
export function RunControls({ runId, status, role }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [mode, setMode] = useState<Mode>("cancel");
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const canCancel = (status === "queued" || status === "running") && (role === "operator" || role === "admin");
  const canKill = status === "cancelling" && role === "admin";

  const open = (m: Mode) => {
    setMode(m);
    setResult(null);
    dialog.current?.showModal();
  };
  const confirm = () =>
    startTransition(async () => {
      const res: ActionResult<unknown> = await (mode === "cancel" ? cancelRunAction({ runId }) : forceKillRunAction({ runId }));
      setResult(res.ok ? { ok: true, message: res.message ?? COPY[mode].done } : { ok: false, message: res.message });
      dialog.current?.close();
    });

  if (!canCancel && !canKill && !result) return null;
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
      {result ? (
        <p role={result.ok ? "status" : "alert"} className={result.ok ? "text-sm text-slate-700 dark:text-slate-300" : "text-sm text-red-700 dark:text-red-400"}>
          {result.message}
        </p>
      ) : null}
      <ConfirmDialog ref={dialog} title={COPY[mode].title} confirmLabel={COPY[mode].confirm} danger pending={pending} onConfirm={confirm}>
        <p className="text-sm text-slate-700 dark:text-slate-300">{COPY[mode].body}</p>
      </ConfirmDialog>
    </div>
  );
}
