"use client";

import { useId, type ReactNode, type Ref } from "react";
import { Button } from "@/components/ui/button";

/**
 * A modal confirmation on the native <dialog>: showModal() gives focus trapping, Escape and an inert page for free.
 * Open it with `ref.current.showModal()`; focus goes to its autoFocus field and returns to the opener on close.
 */
export function ConfirmDialog({
  ref,
  title,
  children,
  confirmLabel,
  danger,
  pending,
  canConfirm = true,
  error,
  onConfirm,
  onClose,
  testId,
}: {
  ref: Ref<HTMLDialogElement>;
  /** data-testid of the <dialog>, for pages whose tests find it by one. */
  testId?: string;
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
      data-testid={testId}
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
          <div
            role="alert"
            className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-300"
          >
            {error}
          </div>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={(e) => e.currentTarget.closest("dialog")?.close()}>
            Back
          </Button>
          <Button
            type="submit"
            data-testid="confirm-submit"
            variant={danger ? "danger" : "primary"}
            disabled={!canConfirm || pending}
            aria-busy={pending || undefined}
          >
            {pending ? "Working…" : confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
