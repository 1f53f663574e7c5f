import { expect, test } from "vitest";
import { explainSourceError } from "@/components/health/explain-error";

test("a Kubernetes 404 says the part is not installed, and what installs it", () => {
  const e = explainSourceError("rabbitmq", '404 services "rabbitmq" not found');
  expect(e.text).toBe('RabbitMQ is not installed on the cluster: the Kubernetes API has no services "rabbitmq".');
  expect(e.next).toContain("Provision");
  expect(e.text).not.toMatch(/^404/);
});

test("connection, timeout and credential errors become causes with a next step", () => {
  expect(explainSourceError("nodes", "connect ECONNREFUSED 127.0.0.1:6443").text).toContain("nothing answers");
  expect(explainSourceError("pods", "timed out after 5000 ms").text).toBe("Pods did not answer in time.");
  expect(explainSourceError("nodes", "401 Unauthorized").next).toContain("kubeconfig");
  expect(explainSourceError("argocd", "403 applications.argoproj.io is forbidden").text).toContain(
    "may not read Argo CD",
  );
});

test("an unprovisioned cluster explains every source by that one cause", () => {
  expect(explainSourceError("rabbitmq", '404 services "rabbitmq" not found', false)).toEqual({
    text: "RabbitMQ cannot be read: the cluster is not provisioned yet.",
    next: expect.stringContaining("Provision"),
  });
});

test("an unknown error keeps its words, as a sentence", () => {
  expect(explainSourceError("ec2", "something odd").text).toBe("EC2 instances could not be read: something odd.");
});
