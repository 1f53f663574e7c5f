import { expect, test } from "vitest";
import { auditRunId, repeatOf } from "@/components/audit/audit-row";

const id = "cmabcdefghij0123456789xyz";

test("run ids come from run.* targets or from detail.runId; other targets are not runs", () => {
  expect(auditRunId({ action: "run.cancel", target: id, detail: null })).toBe(id);
  expect(auditRunId({ action: "run.start", target: "growbin-sandbox/rebuild", detail: { runId: id } })).toBe(id);
  expect(auditRunId({ action: "run.start", target: "growbin-sandbox/rebuild", detail: { reason: "busy" } })).toBeNull();
  expect(auditRunId({ action: "user.set-role", target: id, detail: null })).toBeNull();
});

test("a repeated refusal reads its count and last time", () => {
  expect(repeatOf({ reason: "no session", count: 60, lastAt: "2026-03-16T09:00:00.000Z" })).toEqual({
    count: 60,
    lastAt: "2026-03-16T09:00:00.000Z",
  });
  expect(repeatOf({ reason: "no session" })).toBeNull();
  expect(repeatOf(null)).toBeNull();
});
