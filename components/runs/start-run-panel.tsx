"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import { startRunAction } from "@/server/actions/run-actions";
import type { ActionResult } from "@/server/actions/safe-action";
import { hasRole } from "@/server/auth/roles";
import { ConfirmDialog } from "@/components/runs/run-controls";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";

/** The pipelines a person can start from the portal. */
export type Pipeline = "rebuild" | "provision" | "teardown" | "verify" | "reset-node";

// Role and wording per pipeline. Destructive ones ask for the cluster's name, as the server also requires.
const PIPELINES: Record<Pipeline, { label: string; role: "operator" | "admin"; destructive: boolean; blurb: string }> = {
  rebuild: { label: "Rebuild cluster", role: "operator", destructive: true, blurb: "Tears the cluster down, provisions it again and verifies it. Everything on it is replaced; this takes 40-50 minutes." },
  provision: { label: "Provision", role: "operator", destructive: false, blurb: "Creates whatever is missing and brings the cluster to its declared state." },
  verify: { label: "Verify", role: "operator", destructive: false, blurb: "Checks nodes, pods, queues and Argo CD without changing anything." },
  teardown: { label: "Tear down", role: "admin", destructive: true, blurb: "Destroys every instance and volume of the cluster. Nothing on it survives." },
  "reset-node": { label: "Reset node", role: "admin", destructive: true, blurb: "Drains the node, wipes and rejoins it. Its pods are rescheduled elsewhere meanwhile." },
};
const BUTTONS: Pipeline[] = ["rebuild", "provision", "verify", "teardown"];
const MIN_REASON = 3; // the server's rule too; checked here so the button says so before a round trip

type Props = { cluster: string; role: "viewer" | "operator" | "admin"; nodes: string[]; activeRunId?: string | null };
type Failure = Extract<ActionResult<unknown>, { ok: false }>;

/** The buttons that start runs on one cluster, filtered by role, each behind a confirmation that asks why. */
export function StartRunPanel({ cluster, role, nodes, activeRunId }: Props) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [pipeline, setPipeline] = useState<Pipeline>("verify");
  const [node, setNode] = useState(nodes[0] ?? "");
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const [failure, setFailure] = useState<Failure | null>(null);
  const [pending, startTransition] = useTransition();
  const hintId = useId();

  if (!hasRole(role, "operator")) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">Viewers can watch runs; ask an admin for the operator role to start one.</p>;
  }

  const spec = PIPELINES[pipeline];
  const blocked = Boolean(activeRunId);
  const canConfirm = reason.trim().length >= MIN_REASON && (!spec.destructive || typed === cluster) && (pipeline !== "reset-node" || Boolean(node));
  const open = (p: Pipeline) => {
    setPipeline(p);
    setReason("");
    setTyped("");
    setFailure(null);
    dialog.current?.showModal();
  };
  const submit = () =>
    startTransition(async () => {
      const res = await startRunAction({
        cluster,
        pipeline,
        reason: reason.trim(),
        ...(pipeline === "reset-node" ? { node } : {}),
        ...(spec.destructive ? { confirm: typed } : {}),
      });
      // Keep the dialog (and the pending state) up until the run page has loaded.
      if (res.ok) router.push(`/runs/${res.data.runId}`);
      else setFailure(res);
    });

  const holder = typeof failure?.detail?.runId === "string" ? failure.detail.runId : null;
  const error = failure ? (
    <span data-testid="start-error">
      {failure.message}
      {holder ? (
        <>
          {" "}
          <Link className="font-medium underline underline-offset-2" href={`/runs/${holder}`}>
            Watch the active run
          </Link>
        </>
      ) : null}
    </span>
  ) : null;

  return (
    <div className="flex flex-col gap-4">
      {blocked ? (
        <p role="status" className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-200">
          A run is already active on {cluster}; new runs can start when it finishes.{" "}
          <Link className="font-medium underline underline-offset-2" href={`/runs/${activeRunId}`}>
            Watch it
          </Link>
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {BUTTONS.filter((p) => hasRole(role, PIPELINES[p].role)).map((p) => (
          <Button key={p} data-testid={`start-${p}`} variant={PIPELINES[p].destructive ? "danger" : p === "verify" ? "secondary" : "primary"} disabled={blocked} onClick={() => open(p)}>
            {PIPELINES[p].label}
          </Button>
        ))}
      </div>
      {hasRole(role, "admin") ? (
        <div className="flex flex-wrap items-end gap-2">
          <Select label="Node" name="node" value={node} onChange={(e) => setNode(e.target.value)} disabled={!nodes.length} className="w-56">
            {nodes.length ? nodes.map((n) => <option key={n}>{n}</option>) : <option value="">No nodes known</option>}
          </Select>
          <Button data-testid="start-reset-node" variant="danger" disabled={blocked || !node} onClick={() => open("reset-node")}>
            Reset node
          </Button>
        </div>
      ) : null}

      <ConfirmDialog
        ref={dialog}
        title={pipeline === "reset-node" ? `Reset node ${node} on ${cluster}?` : `${spec.label} on ${cluster}?`}
        confirmLabel={spec.label}
        danger={spec.destructive}
        pending={pending}
        canConfirm={canConfirm}
        error={error}
        onConfirm={submit}
      >
        <p className="text-sm text-slate-700 dark:text-slate-300">{spec.blurb}</p>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Reason</span>
          <span id={hintId} className="text-xs text-slate-600 dark:text-slate-400">At least {MIN_REASON} characters; kept in the run history.</span>
          <textarea
            data-testid="confirm-reason"
            name="reason"
            required
            minLength={MIN_REASON}
            aria-describedby={hintId}
            autoFocus
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={failure?.errors?.reason ? true : undefined}
            className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950 aria-[invalid=true]:border-red-500"
          />
          {failure?.errors?.reason ? <span className="text-xs text-red-600">{failure.errors.reason.join(" ")}</span> : null}
        </label>
        {spec.destructive ? (
          <Field
            data-testid="confirm-cluster"
            label={`Type the cluster's name, ${cluster}, to confirm`}
            name="confirm"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            errors={failure?.errors?.confirm}
          />
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
