// Stub terraform, aws, kubectl and ansible-playbook for running infra/scripts with
// TARGET=aws on a machine without an AWS account: each stub records its call and
// answers from files the test controls (a state lock, EBS volumes, claims left).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const STUB = String.raw`#!/usr/bin/env bash
# Records "tool args..." and answers from $STUB_DIR.
tool="$(basename "$0")"
printf '%s %s\n' "$tool" "$*" >> "$STUB_DIR/calls"
args=" $* "
case "$tool" in
  aws)
    case "$args" in
      *" s3 cp "*".tflock - "*)
        if [[ -f "$STUB_DIR/lock.json" ]]; then cat "$STUB_DIR/lock.json"; exit 0; fi
        echo "fatal error: An error occurred (404) when calling the HeadObject operation: Key does not exist" >&2; exit 1 ;;
      *" s3 cp "*" - s3://"*) cat > "$STUB_DIR/uploaded"; exit 0 ;;
      *" sts get-caller-identity "*) echo "arn:aws:iam::123456789012:user/alice" ;;
      *" ec2 describe-volumes "*)
        # One line of volumes.txt per call ("-" = none left); the last line repeats.
        n=$(cat "$STUB_DIR/volcalls" 2>/dev/null || echo 0); echo $((n + 1)) > "$STUB_DIR/volcalls"
        line="$(sed -n "$((n + 1))p" "$STUB_DIR/volumes.txt" 2>/dev/null)"
        [[ -n "$line" ]] || line="$(tail -n1 "$STUB_DIR/volumes.txt" 2>/dev/null)"
        [[ "$line" == "-" || -z "$line" ]] || printf '%s\n' "$line" | tr '|' '\t' ;;
      *" resourcegroupstaggingapi "*"elasticloadbalancing:loadbalancer"*) cat "$STUB_DIR/lbs" 2>/dev/null || echo "None" ;;
      *" resourcegroupstaggingapi "*"elasticloadbalancing:targetgroup"*) cat "$STUB_DIR/tgs" 2>/dev/null || echo "None" ;;
    esac ;;
  kubectl)
    case "$args" in
      *" get --raw /readyz "*) echo ok ;;
      *" delete pvc "*) [[ -f "$STUB_DIR/pvc-stuck" ]] && exit 1 ;;
      *" get pvc --all-namespaces "*) [[ -f "$STUB_DIR/pvc-stuck" ]] && cat "$STUB_DIR/pvc-stuck" ;;
      *" get pvc -n "*) echo '["kubernetes.io/pvc-protection"]' ;;
      *" get pods -n "*) echo '{"items":[{"metadata":{"name":"prometheus-kube-prometheus-stack-prometheus-0"},"spec":{"volumes":[{"name":"db","persistentVolumeClaim":{"claimName":"prometheus-db-prometheus-0"}}]}},{"metadata":{"name":"grafana-1"},"spec":{"volumes":[{"name":"x","emptyDir":{}}]}}]}' ;;
      *" get "*" -o json "*) cat "$STUB_DIR/kget-$2.json" 2>/dev/null || echo '{"kind":"List","items":[]}' ;;
    esac ;;
  terraform)
    case "$args" in
      *" output -raw ansible_inventory "*) printf 'all:\n  vars:\n    api_reachable_from_outside: true\n' ;;
      *" plan "*"-out="*) for a in "$@"; do [[ "$a" != -out=* ]] || echo "stub saved plan" >"$(cut -d= -f2- <<<"$a")"; done ;;
      *" show -json "*) cat "$STUB_DIR/plan.json" ;;
    esac ;;
esac
exit 0
`;

/** A stub bin folder (first on PATH) and its answer files. */
export function stubTools() {
  const dir = mkdtempSync(path.join(tmpdir(), "growbin-stubs-"));
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  for (const t of ["terraform", "aws", "kubectl", "ansible-playbook"]) {
    writeFileSync(path.join(bin, t), STUB);
    chmodSync(path.join(bin, t), 0o755);
  }
  return {
    dir,
    env: { PATH: `${bin}:${process.env.PATH}`, STUB_DIR: dir },
    calls: () =>
      existsSync(path.join(dir, "calls")) ? readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : [],
    write: (name: string, text: string) => writeFileSync(path.join(dir, name), text),
    read: (name: string) => readFileSync(path.join(dir, name), "utf8"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
