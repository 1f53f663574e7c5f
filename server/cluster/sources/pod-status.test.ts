import { describe, expect, test } from "vitest";
import cases from "@/server/cluster/sources/__fixtures__/kubectl-pod-states.json";
import { podStatus, type RawPod } from "@/server/cluster/sources/pod-status";

// The pod states the sandbox cannot produce, as kubectl would print them (kubectl get pods, STATUS column).
describe("kubectl printer rules on recorded pod JSON", () => {
  test.each(cases)("$name", ({ pod, expect: want }) => {
    expect(podStatus(pod as RawPod)).toMatchObject(want);
  });
});
