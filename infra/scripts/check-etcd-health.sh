#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: check-etcd-health.sh

Checks etcd, the control plane's database, in detail and prints a report: the
etcd pod on the master runs, the API server can reach etcd, and etcdctl reports
the endpoint healthy with its status (version, DB size, leader, raft index).
Read-only: it changes nothing.

Options:
  --help, -h  show this help

Environment: TARGET=aws|sandbox (default aws), CLUSTER, SANDBOX_STATE (sandbox),
KUBECONFIG (aws).

Exit codes: 0 healthy, 1 unhealthy or the check could not run, 2 wrong usage.
HELP
}

no_args_but_help "$@"
check_target

if [[ "$TARGET" == sandbox ]]; then
  sandbox_exec check etcd
fi

require_cmds kubectl
use_kubeconfig

step "etcd pod"
kubectl get pods -n kube-system -l component=etcd -o wide || problem "cannot list the etcd pods"
phase="$(kubectl get pod -n kube-system etcd-master -o jsonpath='{.status.phase}' 2>/dev/null || true)"
[[ "$phase" == Running ]] || problem "etcd-master is '${phase:-missing}', expected Running"

step "API server -> etcd"
if kubectl get --raw '/readyz/etcd' >/dev/null 2>&1; then echo "  ok: the API server reaches etcd"; else problem "the API server reports etcd not ready"; fi

step "etcdctl"
etcdctl=(kubectl exec -n kube-system etcd-master -- etcdctl --endpoints=https://127.0.0.1:2379
  --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key)
"${etcdctl[@]}" endpoint health || problem "etcdctl endpoint health failed"
"${etcdctl[@]}" endpoint status --write-out=table || problem "etcdctl endpoint status failed"
alarms="$("${etcdctl[@]}" alarm list 2>/dev/null || true)"
[[ -z "$alarms" ]] || problem "etcd alarms: $alarms"

echo
if ((problems > 0)); then
  printf 'etcd of %s: UNHEALTHY (%d problem(s))\n' "$CLUSTER" "$problems"
  exit 1
fi
printf 'etcd of %s: healthy\n' "$CLUSTER"
