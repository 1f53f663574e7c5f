"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { startRunAction } from "@/server/actions/run-actions";
import type { ActionResult } from "@/server/actions/safe-action";
import { hasRole } from "@/server/auth/roles";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { durationText, type DurationStat } from "@/components/runs/estimate-text";
import { ReasonField, reasonFits } from "@/components/runs/reason-field";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { humanFieldError } from "@/components/ui/human-errors";
import { PIPELINE_INFO, START_BUTTONS, type PipelineName } from "@/lib/pipelines";

/** The pipelines a person can start from the portal. */
export type Pipeline = PipelineName;

/**
 * `nodes`: the allow-listed nodes the cluster has registered (none before it is provisioned);
 * `durations`: how long each pipeline took here lately, for the confirmation's promise.
 */
type Props = {
  cluster: string;
  kind: "aws" | "sandbox";
  role: "viewer" | "operator" | "admin";
  nodes: string[];
  activeRunId?: string | null;
  durations?: Record<string, DurationStat>;
  unprovisioned?: boolean;
};
type Failure = Extract<ActionResult<unknown>, { ok: false }>;

/** The buttons that start runs on one cluster, filtered by role, each behind a confirmation that asks why. */
export function StartRunPanel({
  cluster,
  kind,
  role,
  nodes,
  activeRunId,
  durations = {},
  unprovisioned = false,
}: Props) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [pipeline, setPipeline] = useState<Pipeline>("verify");
  const [node, setNode] = useState(nodes[0] ?? "");
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const [failure, setFailure] = useState<Failure | null>(null);
  const [pending, startTransition] = useTransition();

  if (!hasRole(role, "operator")) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {unprovisioned ? `${cluster} is not provisioned; an operator can provision it. ` : ""}Viewers can watch runs;
        ask an admin for the operator role to start one.
      </p>
    );
  }

  const spec = PIPELINE_INFO[pipeline];
  const blocked = Boolean(activeRunId);
  const canConfirm =
    reasonFits(reason) && (!spec.destructive || typed === cluster) && (pipeline !== "reset-node" || Boolean(node));
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
  const fieldErrors = failure?.errors
    ? Object.entries(failure.errors).filter(([k]) => k !== "reason" && k !== "confirm")
    : [];
  const error = failure ? (
    <span data-testid="start-error">
      {failure.errors ? "Check the fields marked above." : failure.message}
      {fieldErrors.map(([k, v]) => ` ${k}: ${v.map(humanFieldError).join(" ")}`).join("")}
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
        <p
          role="status"
          className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-200"
        >
          A run is already active on {cluster}; new runs can start when it finishes.{" "}
          <Link className="font-medium underline underline-offset-2" href={`/runs/${activeRunId}`}>
            Watch it
          </Link>
        </p>
      ) : null}
      {unprovisioned && !blocked ? (
        <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="provision-first">
          <strong>{cluster} is not provisioned.</strong> Provision creates its instances and brings up the 4 tiers.
          Verify and tear down need a provisioned cluster.
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {START_BUTTONS.filter(
          (p) => hasRole(role, PIPELINE_INFO[p].role) && (!unprovisioned || p === "provision" || p === "rebuild"),
        ).map((p) => (
          <Button
            key={p}
            data-testid={`start-${p}`}
            variant={PIPELINE_INFO[p].destructive ? "danger" : p === "verify" ? "secondary" : "primary"}
            disabled={blocked}
            onClick={() => open(p)}
          >
            {PIPELINE_INFO[p].label}
          </Button>
        ))}
      </div>
      {hasRole(role, "admin") && !unprovisioned ? (
        <div className="flex flex-wrap items-end gap-2">
          <Select
            label="Node"
            name="node"
            value={node}
            onChange={(e) => setNode(e.target.value)}
            disabled={!nodes.length}
            className="w-56"
          >
            {nodes.length ? (
              nodes.map((n) => <option key={n}>{n}</option>)
            ) : (
              <option value="">No node has joined yet</option>
            )}
          </Select>
          <Button
            data-testid="start-reset-node"
            variant="danger"
            disabled={blocked || !node}
            onClick={() => open("reset-node")}
          >
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
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {spec.description}{" "}
          <span data-testid="confirm-estimate">{durationText(pipeline, kind, durations[pipeline])}</span>
        </p>
        <ReasonField value={reason} onChange={setReason} serverErrors={failure?.errors?.reason} />
        {spec.destructive ? (
          <Field
            data-testid="confirm-cluster"
            label={`Type the cluster's name, ${cluster}, to confirm`}
            name="confirm"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            errors={failure?.errors?.confirm?.map(humanFieldError)}
          />
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
