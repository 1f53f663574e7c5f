#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: check-cluster-health.sh

Checks the whole Growbin cluster and prints a readable report: the 4 nodes
(master, worker-1, worker-2, storage) are registered, Ready and labelled with
their tier; the API server is ready; the system pods (kube-system, calico) run;
no pod anywhere is failing or stuck. Read-only: it changes nothing.

Options:
  --help, -h  show this help

Environment: TARGET=aws|sandbox (default aws), CLUSTER, SANDBOX_STATE (sandbox),
KUBECONFIG (aws: the admin kubeconfig).

Exit codes: 0 healthy, 1 unhealthy (the report says why) or the check could
not run, 2 wrong usage.
HELP
}

no_args_but_help "$@"
check_target

if [[ "$TARGET" == sandbox ]]; then
  sandbox_exec check cluster
fi

require_cmds kubectl
use_kubeconfig
ok() { printf '  ok: %s\n' "$*"; }

step "API server"
if kubectl get --raw '/readyz' >/dev/null 2>&1; then ok "API server ready"; else
  problem "API server not ready or unreachable"
  printf '\nCluster %s: UNHEALTHY (%d problem(s))\n' "$CLUSTER" "$problems"
  exit 1
fi

step "Nodes"
kubectl get nodes -o wide -L growbin.app/role -L growbin.app/tier
declare -A want_role=([master]=master [worker-1]=api-worker [worker-2]=async-worker [storage]=storage)
for n in "${NODES[@]}"; do
  line="$(kubectl get node "$n" --no-headers -o custom-columns='READY:.status.conditions[?(@.type=="Ready")].status,ROLE:.metadata.labels.growbin\.app/role' 2>/dev/null || true)"
  if [[ -z "$line" ]]; then problem "node $n is not registered"; continue; fi
  read -r ready role <<<"$line"
  if [[ "$ready" == True ]]; then ok "node $n Ready"; else problem "node $n is NotReady"; fi
  [[ "$role" == "${want_role[$n]}" ]] || problem "node $n has role label '$role', expected '${want_role[$n]}'"
done

step "Pods not running"
bad="$(kubectl get pods --all-namespaces --no-headers 2>/dev/null |
  awk '$4 != "Running" && $4 != "Completed" && $4 != "Succeeded" {print "    " $1 "/" $2 ": " $4 " (restarts " $5 ")"}')"
if [[ -n "$bad" ]]; then
  problem "some pods are not running:"
  printf '%s\n' "$bad"
else
  ok "every pod is Running or Completed"
fi

step "System pods"
for ns in kube-system calico-system; do
  total="$(kubectl get pods -n "$ns" --no-headers 2>/dev/null | wc -l)"
  if ((total == 0)); then problem "no pods in namespace $ns"; else ok "$total pod(s) in $ns"; fi
done

echo
if ((problems > 0)); then
  printf 'Cluster %s: UNHEALTHY (%d problem(s)). For details run verify-cluster-status.sh.\n' "$CLUSTER" "$problems"
  exit 1
fi
printf 'Cluster %s: healthy\n' "$CLUSTER"
