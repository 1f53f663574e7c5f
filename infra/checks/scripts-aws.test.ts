// infra/scripts with TARGET=aws, run with stub tools on PATH in the order a
// rebuild calls them: state-lock refusals, lock timeouts, volume claims and EBS
// volumes at teardown, and the audited lock release.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stubTools } from "./helpers/stub-tools";
import { REPO_ROOT, run } from "./helpers/tools";

const script = (name: string) => path.join(REPO_ROOT, "infra/scripts", name);
let stubs: ReturnType<typeof stubTools>;
const LOCK = JSON.stringify({
  ID: "3f2c9a1e-5b7d-4e2a-9c1f-0a1b2c3d4e5f",
  Operation: "OperationTypeApply",
  Who: "bob@laptop",
  Version: "1.11.4",
  Created: "2026-11-30T09:00:00Z",
});

const runAws = (name: string, args: string[], env: Record<string, string> = {}) =>
  run(script(name), args, {
    env: {
      ...process.env,
      ...stubs.env,
      TARGET: "aws",
      CLUSTER: "stubtest",
      TF_STATE_BUCKET: "growbin-tfstate-test",
      KUBECONFIG: path.join(stubs.dir, "kubeconfig"),
      VOLUME_POLL_SECONDS: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });

afterEach(() => stubs?.cleanup());
const fresh = () => {
  stubs = stubTools();
  stubs.write("kubeconfig", "apiVersion: v1\n");
};

describe("a held state lock", () => {
  it("auto-rebuild.sh refuses to start, names the lock and how to release it, and deletes nothing", () => {
    fresh();
    stubs.write("lock.json", LOCK);
    const r = runAws("auto-rebuild.sh", ["--yes"]);
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toMatch(
      /locked by another run \(ID 3f2c9a1e-5b7d-4e2a-9c1f-0a1b2c3d4e5f, OperationTypeApply by bob@laptop since 2026-11-30T09:00:00Z; s3:\/\/growbin-tfstate-test\/clusters\/stubtest\/terraform\.tfstate\.tflock\)/,
    );
    expect(r.stderr).toMatch(/release-state-lock\.sh <ID>/);
    expect(stubs.calls().filter((c) => /^(kubectl|terraform|ansible-playbook) /.test(c))).toEqual([]);
  });

  it.each([
    ["build-cluster.sh", ["--yes", "--phase", "infra"]],
    ["cleanup.sh", ["--yes", "--phase", "infra"]],
  ])("%s refuses before terraform runs", (name, args) => {
    fresh();
    stubs.write("lock.json", LOCK);
    const r = runAws(name, args);
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toMatch(/is locked by another run/);
    expect(stubs.calls().some((c) => c.startsWith("terraform"))).toBe(false);
  });

  it("when free, apply and destroy wait for a lock at most TF_LOCK_TIMEOUT", () => {
    fresh();
    expect(runAws("build-cluster.sh", ["--yes", "--phase", "infra"], { TF_LOCK_TIMEOUT: "5m" }).code).toBe(0);
    expect(runAws("cleanup.sh", ["--yes", "--phase", "infra"]).code).toBe(0);
    const tf = stubs.calls().filter((c) => /^terraform -chdir=\S+ (apply|destroy)/.test(c));
    expect(tf).toHaveLength(2);
    expect(tf[0]).toMatch(/ apply .*-lock-timeout=5m .*-auto-approve/);
    expect(tf[1]).toMatch(/ destroy .*-lock-timeout=60s -auto-approve/);
  });
});

describe("teardown of the Kubernetes components", () => {
  it("stops the operators' workloads before deleting claims, then waits for the EBS volumes to go", () => {
    fresh();
    stubs.write("volumes.txt", "vol-0a|in-use\nvol-0a|available\n-\n");
    const r = runAws("cleanup.sh", ["--yes", "--phase", "components"]);
    expect(r.code, r.out).toBe(0);
    const calls = stubs.calls();
    const at = (re: RegExp) => calls.findIndex((c) => re.test(c));
    expect(at(/^kubectl delete prometheuses\.monitoring\.coreos\.com,alertmanagers/)).toBeGreaterThan(-1);
    expect(at(/^kubectl delete prometheuses/)).toBeLessThan(at(/^kubectl delete statefulset --all --all-namespaces/));
    expect(at(/^kubectl delete rabbitmqclusters/)).toBeLessThan(at(/^kubectl delete statefulset/));
    expect(at(/^kubectl delete statefulset/)).toBeLessThan(at(/^kubectl delete pvc/));
    expect(at(/^kubectl delete pvc/)).toBeLessThan(at(/^aws ec2 describe-volumes/));
    expect(calls.filter((c) => c.startsWith("aws ec2 describe-volumes"))).toHaveLength(3);
    expect(calls.find((c) => c.startsWith("aws ec2 describe-volumes"))).toMatch(
      /Name=tag:Cluster,Values=stubtest Name=tag-key,Values=ebs\.csi\.aws\.com\/cluster/,
    );
    expect(r.stdout).toMatch(/waiting for EBS volumes to be released: vol-0a:in-use/);
    expect(r.stdout).toMatch(/no EBS volume of cluster stubtest is left/);
  });

  it("deletes the cluster's leftover ALB (waiting until it is gone) and target groups", () => {
    fresh();
    stubs.write("lbs", "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/k8s-growbin-abc/1\n");
    stubs.write("tgs", "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/k8s-default-auth/2\n");
    const r = runAws("cleanup.sh", ["--yes", "--phase", "components"], {
      KUBECONFIG: path.join(stubs.dir, "no-such-kubeconfig"),
    });
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toMatch(/API server is not reachable/);
    const calls = stubs.calls().filter((c) => c.startsWith("aws elbv2"));
    expect(calls.map((c) => c.split(" --")[0])).toEqual([
      "aws elbv2 delete-load-balancer",
      "aws elbv2 wait load-balancers-deleted",
      "aws elbv2 delete-target-group",
    ]);
    expect(calls[2]).toMatch(/targetgroup\/k8s-default-auth\/2$/);
  });

  it("a claim that will not go is named with what holds it", () => {
    fresh();
    stubs.write("pvc-stuck", "monitoring prometheus-db-prometheus-0 [kubernetes.io/pvc-protection]\n");
    const r = runAws("cleanup.sh", ["--yes", "--phase", "components"]);
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toMatch(/these volume claims were not deleted/);
    expect(r.stderr).toMatch(
      /monitoring\/prometheus-db-prometheus-0: finalizers \["kubernetes\.io\/pvc-protection"\]; mounted by pods: prometheus-kube-prometheus-stack-prometheus-0/,
    );
    expect(
      stubs.calls().some((c) => c.startsWith("aws ec2 describe-volumes")),
      "stops before waiting on volumes",
    ).toBe(false);
  });

  it("volumes still there after VOLUME_RELEASE_TIMEOUT fail the phase, naming them", () => {
    fresh();
    stubs.write("volumes.txt", "vol-0b|in-use\n");
    const r = runAws("cleanup.sh", ["--yes", "--phase", "components"], { VOLUME_RELEASE_TIMEOUT: "0" });
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toMatch(/EBS volumes of cluster stubtest still exist after 0s: vol-0b:in-use/);
  });
});

describe("release-state-lock.sh", () => {
  it("refuses a lock ID that is not the one held, and changes nothing", () => {
    fresh();
    stubs.write("lock.json", LOCK);
    const r = runAws("release-state-lock.sh", [
      "11111111-2222-3333-4444-555555555555",
      "--reason",
      "crashed worker",
      "--yes",
    ]);
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toMatch(/the lock now held is 3f2c9a1e-5b7d-4e2a-9c1f-0a1b2c3d4e5f, not 11111111/);
    expect(stubs.calls().some((c) => c.includes("force-unlock"))).toBe(false);
  });

  it("writes an audit record next to the state, then force-unlocks that ID", () => {
    fresh();
    stubs.write("lock.json", LOCK);
    const r = runAws("release-state-lock.sh", [
      "3f2c9a1e-5b7d-4e2a-9c1f-0a1b2c3d4e5f",
      "--reason",
      "worker host died",
      "--yes",
    ]);
    expect(r.code, r.out).toBe(0);
    const record = JSON.parse(stubs.read("uploaded"));
    expect(record).toMatchObject({
      event: "state-lock-released",
      cluster: "stubtest",
      releasedBy: "arn:aws:iam::123456789012:user/alice",
      reason: "worker host died",
      lock: { Who: "bob@laptop" },
    });
    const calls = stubs.calls();
    const upload = calls.findIndex((c) =>
      /^aws s3 cp .* - s3:\/\/growbin-tfstate-test\/clusters\/stubtest\/lock-releases\/\S+-3f2c9a1e-5b7d-4e2a-9c1f-0a1b2c3d4e5f\.json$/.test(
        c,
      ),
    );
    const unlock = calls.findIndex((c) =>
      /^terraform -chdir=\S+ force-unlock -force 3f2c9a1e-5b7d-4e2a-9c1f-0a1b2c3d4e5f$/.test(c),
    );
    expect(upload).toBeGreaterThan(-1);
    expect(unlock).toBeGreaterThan(upload);
  });

  it("needs a reason, and says when nothing is locked", () => {
    fresh();
    expect(runAws("release-state-lock.sh", ["3f2c9a1e-5b7d-4e2a-9c1f-0a1b2c3d4e5f", "--yes"]).code).toBe(2);
    const r = runAws("release-state-lock.sh", ["3f2c9a1e-5b7d-4e2a-9c1f-0a1b2c3d4e5f", "--reason", "x", "--yes"]);
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toMatch(/not locked; nothing to release/);
  });
});

describe("build order on AWS", () => {
  it("the inventory phase writes the rendered inventory for the next phases", () => {
    fresh();
    const inv = path.join(REPO_ROOT, "infra/ansible/inventory/stubtest.yml");
    try {
      const r = runAws("build-cluster.sh", ["--yes", "--phase", "inventory"]);
      expect(r.code, r.out).toBe(0);
      expect(readFileSync(inv, "utf8")).toMatch(/api_reachable_from_outside: true/);
      const a = runAws("build-cluster.sh", ["--yes", "--phase", "apps"]);
      expect(a.code, a.out).toBe(0);
      expect(stubs.calls().at(-1)).toMatch(/^ansible-playbook -i \S+\/inventory\/stubtest\.yml site\.yml --tags apps$/);
    } finally {
      rmSync(inv, { force: true });
    }
  });
});
