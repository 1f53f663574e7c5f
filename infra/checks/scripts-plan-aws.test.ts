// plan.sh and the saved-plan applies with TARGET=aws, run with stub tools on PATH (no AWS account here): the
// terraform commands they run, the components list that deletes nothing, and the state lock. That terraform
// itself refuses a stale saved plan is recorded from a real terraform 1.11 in server/plans/__fixtures__.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { summarizePlan } from "../../server/plans/plan-summary";
import { stubTools } from "./helpers/stub-tools";
import { REPO_ROOT, run } from "./helpers/tools";

let stubs: ReturnType<typeof stubTools>;
const runAws = (name: string, args: string[]) =>
  run(path.join(REPO_ROOT, "infra/scripts", name), args, {
    env: {
      ...process.env,
      ...stubs.env,
      TARGET: "aws",
      CLUSTER: "stubtest",
      TF_STATE_BUCKET: "growbin-tfstate-test",
      KUBECONFIG: path.join(stubs.dir, "kubeconfig"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
const tfCalls = () =>
  stubs
    .calls()
    .filter((c) => /^terraform -chdir=\S+ (plan|show|apply|destroy)/.test(c))
    .map((c) => c.replace(/^terraform -chdir=\S+ /, ""));

afterEach(() => stubs?.cleanup());
const fresh = () => {
  stubs = stubTools();
  stubs.write("kubeconfig", "apiVersion: v1\n");
  stubs.write("plan.json", readFileSync(path.join(REPO_ROOT, "server/plans/__fixtures__/plan-destroy.json"), "utf8"));
  // kubectl get RESOURCES -o json answers from kget-RESOURCES.json (an empty list without one).
  stubs.write(
    "kget-applications.argoproj.io.json",
    JSON.stringify({ items: [{ kind: "Application", metadata: { namespace: "argocd", name: "growbin-api" } }] }),
  );
  stubs.write(
    "kget-ingress,service,statefulset,persistentvolumeclaim.json",
    JSON.stringify({
      kind: "List",
      items: [
        { kind: "Ingress", metadata: { namespace: "default", name: "growbin" } },
        { kind: "Service", metadata: { namespace: "default", name: "api" }, spec: { type: "ClusterIP" } },
        { kind: "Service", metadata: { namespace: "monitoring", name: "grafana-lb" }, spec: { type: "LoadBalancer" } },
        { kind: "StatefulSet", metadata: { namespace: "default", name: "postgres" } },
      ],
    }),
  );
  stubs.write("lbs", "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/k8s-growbin/abc\n");
};

describe("plan.sh on aws", () => {
  it("teardown: terraform plan -destroy -out, show -json of that file, and the components cleanup would delete (deleting nothing)", () => {
    fresh();
    const out = path.join(stubs.dir, "plan");
    const r = runAws("plan.sh", ["--yes", "--action", "teardown", "--out", out]);
    expect(r.code, r.out).toBe(0);
    const tf = tfCalls();
    expect(tf[0]).toMatch(
      new RegExp(`^plan -input=false -var cluster_name=stubtest .*-lock-timeout=60s -out=${out}/plan.bin -destroy$`),
    );
    expect(tf[1]).toBe(`show -json ${out}/plan.bin`);
    expect(tf).toHaveLength(2);
    expect(
      stubs.calls().filter((c) => / delete/.test(c)),
      "a plan deletes nothing",
    ).toEqual([]);
    const components = JSON.parse(readFileSync(path.join(out, "components.json"), "utf8"));
    expect(components).toEqual([
      { kind: "Application", namespace: "argocd", name: "growbin-api" },
      { kind: "Ingress", namespace: "default", name: "growbin" },
      { kind: "Service", namespace: "monitoring", name: "grafana-lb" },
      { kind: "StatefulSet", namespace: "default", name: "postgres" },
      {
        kind: "LoadBalancer",
        namespace: "",
        name: "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/k8s-growbin/abc",
      },
    ]);
    expect(summarizePlan(JSON.parse(readFileSync(path.join(out, "plan.json"), "utf8")), components).destroy).toBe(7);
  });

  it("provision: no -destroy, and no components", () => {
    fresh();
    const out = path.join(stubs.dir, "plan");
    expect(runAws("plan.sh", ["--action", "provision", "--out", out]).code).toBe(0);
    expect(tfCalls()[0]).not.toMatch(/-destroy/);
    expect(readFileSync(path.join(out, "components.json"), "utf8").trim()).toBe("[]");
  });

  it("is refused while another run holds the state lock, and saves nothing", () => {
    fresh();
    stubs.write(
      "lock.json",
      JSON.stringify({
        ID: "3f2c9a1e",
        Operation: "OperationTypeApply",
        Who: "bob@laptop",
        Created: "2026-11-30T09:00:00Z",
      }),
    );
    const out = path.join(stubs.dir, "plan");
    const r = runAws("plan.sh", ["--action", "rebuild", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/locked by another run \(ID 3f2c9a1e/);
    expect(tfCalls()).toEqual([]);
  });
});

describe("--plan FILE on aws", () => {
  it.each([
    ["build-cluster.sh", "provision"],
    ["cleanup.sh", "teardown"],
  ])(
    "%s --phase infra --plan applies exactly the saved plan (terraform apply FILE, no variables, no -auto-approve)",
    (name) => {
      fresh();
      const plan = path.join(stubs.dir, "plan.bin");
      stubs.write("plan.bin", "stub saved plan\n");
      const r = runAws(name, ["--yes", "--phase", "infra", "--plan", plan]);
      expect(r.code, r.out).toBe(0);
      expect(tfCalls()).toEqual([`apply -input=false -lock-timeout=60s ${plan}`]);
    },
  );

  it("the recorded terraform refusal of a stale saved plan is the line the run engine looks for", () => {
    expect(readFileSync(path.join(REPO_ROOT, "server/plans/__fixtures__/stale-apply.txt"), "utf8")).toContain(
      "Saved plan is stale",
    );
  });
});
