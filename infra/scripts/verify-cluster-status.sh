#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: verify-cluster-status.sh

Shows the details behind the warnings of the health checks, to find out why
something is unhealthy: node conditions and pressure, pods that are not
running with their last state and restart counts, recent Warning events, and
volume claims that are not bound. Read-only: it changes nothing.

Options:
  --help, -h  show this help

Environment: TARGET=aws|sandbox (default aws), CLUSTER, SANDBOX_STATE (sandbox),
KUBECONFIG (aws).

Exit codes: 0 nothing to report, 1 something needs attention or the check could
not run, 2 wrong usage.
HELP
}

no_args_but_help "$@"
check_target

if [[ "$TARGET" == sandbox ]]; then
  step "Sandbox status"
  sandbox status || die "the sandbox is not running (state: $SANDBOX_STATE)"
  failed=0
  for c in cluster etcd monitoring; do
    step "check $c"
    sandbox check "$c" || failed=1
  done
  exit "$failed"
fi

require_cmds kubectl
use_kubeconfig
attention=0

step "Node conditions"
kubectl get nodes -o custom-columns='NODE:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status,MEMORY:.status.conditions[?(@.type=="MemoryPressure")].status,DISK:.status.conditions[?(@.type=="DiskPressure")].status,PID:.status.conditions[?(@.type=="PIDPressure")].status,KUBELET:.status.nodeInfo.kubeletVersion'

step "Pods that are not running, or restart often"
# From the objects' fields (phase, waiting reason, restarts), not the printed table: the same on every apiserver.
bad="$(kubectl get pods --all-namespaces --no-headers -o custom-columns='NS:.metadata.namespace,NAME:.metadata.name,PHASE:.status.phase,WAITING:.status.containerStatuses[*].state.waiting.reason,RESTARTS:.status.containerStatuses[*].restartCount' |
  awk '{ split($5, r, ","); max = 0; for (i in r) if (r[i] + 0 > max) max = r[i] + 0 }
       ($3 != "Running" && $3 != "Succeeded") || $4 != "<none>" || max > 3')"
if [[ -n "$bad" ]]; then
  attention=1
  printf '%s\n' "$bad"
  while read -r ns name _; do
    printf '\n-- %s/%s\n' "$ns" "$name"
    kubectl get pod -n "$ns" "$name" -o jsonpath='{range .status.containerStatuses[*]}  {.name}: ready={.ready} restarts={.restartCount} waiting={.state.waiting.reason} lastTerminated={.lastState.terminated.reason} exit={.lastState.terminated.exitCode}{"\n"}{end}'
  done <<<"$bad"
else
  echo "  none"
fi

step "Warning events (most recent 30)"
events="$(kubectl get events --all-namespaces --field-selector type=Warning --sort-by=.lastTimestamp 2>/dev/null | tail -n 30)"
if [[ -n "$events" ]]; then attention=1; printf '%s\n' "$events"; else echo "  none"; fi

step "Volume claims not Bound"
pvcs="$(kubectl get pvc --all-namespaces --no-headers 2>/dev/null | awk '$3 != "Bound"')"
if [[ -n "$pvcs" ]]; then attention=1; printf '%s\n' "$pvcs"; else echo "  none"; fi

echo
if ((attention)); then
  echo "Some items above need attention."
  exit 1
fi
echo "Nothing to report."
