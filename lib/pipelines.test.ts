import { expect, test } from "vitest";
import { PIPELINE_INFO, PIPELINES, START_BUTTONS, pipelineLabel } from "@/lib/pipelines";
import { pipeline } from "@/server/runs/pipelines";
import { buildMessage } from "@/server/notify/messages";

test("the server's pipelines carry the one label, role and danger of the shared list", () => {
  for (const name of PIPELINES) {
    const def = pipeline(name);
    expect({ title: def.title, role: def.role, destructive: def.destructive }).toEqual({
      title: PIPELINE_INFO[name].label,
      role: PIPELINE_INFO[name].role,
      destructive: PIPELINE_INFO[name].destructive,
    });
    expect(def.deadlineMinutes).toBeGreaterThan(0);
  }
  expect(START_BUTTONS.every((p) => PIPELINES.includes(p))).toBe(true);
});

test("webhook messages name a pipeline as the start panel does; an unknown one by its raw name", () => {
  const m = buildMessage(
    "run.started",
    {
      kind: "run",
      cluster: "c1",
      runId: "r1",
      pipeline: "rebuild",
      status: "running",
      requestedBy: "a",
      reason: "",
      node: null,
      startedAt: null,
      finishedAt: null,
      durationSeconds: null,
      error: null,
      cancelledBy: null,
    },
    "https://p",
  );
  expect(m.title).toBe(`${PIPELINE_INFO.rebuild.label} started on c1`);
  expect(pipelineLabel("retired-pipeline")).toBe("retired-pipeline");
});
