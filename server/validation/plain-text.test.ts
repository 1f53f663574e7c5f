import { expect, test } from "vitest";
import { startRunInput } from "@/server/runs/start-run";

// A run's reason is one line of plain text: control characters and bidi overrides are refused with a message.

const base = { cluster: "growbin-test", pipeline: "verify", confirm: "growbin-test" };

test("reasons with terminal escapes, line breaks, NUL or bidi overrides are refused; ordinary and Korean text is kept", () => {
  for (const reason of [
    "fix \u001b[2J\u001b[Hwiped",
    "two\nlines",
    "nul\u0000byte",
    "tab\there",
    "c1 \u009b31m",
    "admin \u202egnp.exe",
  ]) {
    const r = startRunInput.safeParse({ ...base, reason });
    expect(r.success, JSON.stringify(reason)).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/control characters/);
  }
  for (const reason of ["new AMI for worker-2", "노드 교체 후 재구축", "retry: 50% of pods were Pending"]) {
    expect(startRunInput.safeParse({ ...base, reason }).success).toBe(true);
  }
});
