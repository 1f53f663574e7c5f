#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: check-etcd-health.sh

Checks etcd, the control plane's database, in detail and prints a report: the
etcd pod on the master runs and is Ready, the API server can reach etcd
(/readyz/etcd, /livez/etcd), and etcdctl reports the endpoint healthy with its
status (version, DB size, leader, raft index) and no alarms. etcdctl runs
through kubectl exec; where exec is not possible the report says so and the
verdict rests on the API's checks. Read-only: it changes nothing.

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
read -r phase ready restarts < <(kubectl get pod -n kube-system etcd-master --no-headers \
  -o custom-columns='PHASE:.status.phase,READY:.status.conditions[?(@.type=="Ready")].status,RESTARTS:.status.containerStatuses[0].restartCount' 2>/dev/null) || true
if [[ "${phase:-}" != Running ]]; then problem "etcd-master is '${phase:-missing}', expected Running"
elif [[ "${ready:-}" != True ]]; then problem "etcd-master is Running but not Ready (restarts ${restarts:-?})"
else echo "  ok: etcd-master Running and Ready (restarts ${restarts:-0})"; fi

step "API server -> etcd"
for check in readyz livez; do
  if kubectl get --raw "/$check/etcd" >/dev/null 2>&1; then echo "  ok: /$check/etcd"; else problem "the API server reports etcd not ready (/$check/etcd failed)"; fi
done

step "etcdctl"
etcdctl=(kubectl exec -n kube-system etcd-master -- etcdctl --endpoints=https://127.0.0.1:2379
  --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key)
if ! why="$("${etcdctl[@]}" version 2>&1 >/dev/null)"; then
  echo "  note: etcdctl could not run in etcd-master through kubectl exec (${why%%$'\n'*}); the verdict rests on the checks above"
else
  "${etcdctl[@]}" endpoint health || problem "etcdctl endpoint health failed"
  "${etcdctl[@]}" endpoint status --write-out=table || problem "etcdctl endpoint status failed"
  alarms="$("${etcdctl[@]}" alarm list 2>/dev/null || true)"
  [[ -z "$alarms" ]] || problem "etcd alarms: $alarms"
fi

echo
if ((problems > 0)); then
  printf 'etcd of %s: UNHEALTHY (%d problem(s))\n' "$CLUSTER" "$problems"
  exit 1
fi
printf 'etcd of %s: healthy\n' "$CLUSTER"
