import { describe, expect, test } from "vitest";
import cases from "@/server/runs/__fixtures__/failure-cases.json";
import { ansibleTaskName, classifyFailure } from "@/server/runs/classify-failure";

describe("failure causes (recorded output)", () => {
  test.each(cases)("$name", (c) => {
    const cause = classifyFailure({
      runStatus: c.status,
      runError: c.error,
      exitCode: c.exitCode,
      signal: null,
      lines: c.lines,
      lastTask: c.lastTask,
    });
    expect(cause.kind).toBe(c.kind);
    if ("task" in c) expect(cause).toMatchObject({ task: c.task, label: `Ansible task failed: ${c.task}` });
  });
});

test("the Ansible task name is read from its TASK banner", () => {
  expect(ansibleTaskName("TASK [kubeadm : Join the worker nodes] *************************")).toBe(
    "kubeadm : Join the worker nodes",
  );
  expect(ansibleTaskName("ok: [master]")).toBeNull();
});
