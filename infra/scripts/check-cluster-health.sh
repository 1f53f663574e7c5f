#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: check-cluster-health.sh

Checks the whole Growbin cluster and prints a readable report: the 4 nodes
(master, worker-1, worker-2, storage) are registered, Ready and labelled with
their tier, and their EC2 instances run; the API server is ready; the system
pods (kube-system, Calico) run; no pod anywhere is failing or stuck.
Read-only: it changes nothing.

Options:
  --help, -h  show this help

Environment: TARGET=aws|sandbox (default aws), CLUSTER, SANDBOX_STATE (sandbox),
KUBECONFIG (aws: the admin kubeconfig), AWS_REGION and the AWS CLI's own
variables (credentials, AWS_ENDPOINT_URL_EC2, AWS_CA_BUNDLE).

Exit codes: 0 healthy, 1 unhealthy (the report says why) or the check could
not run, 2 wrong usage.
HELP
}

no_args_but_help "$@"
check_target

if [[ "$TARGET" == sandbox ]]; then
  sandbox_exec check cluster
fi

require_cmds kubectl aws
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

step "EC2 instances (tag Cluster=$CLUSTER)"
# The backquotes are a JMESPath literal for the aws CLI, not a shell expansion.
# shellcheck disable=SC2016
if ! instances="$(aws ec2 describe-instances --region "$AWS_REGION" \
  --filters "Name=tag:Cluster,Values=$CLUSTER" "Name=instance-state-name,Values=pending,running,stopping,stopped,shutting-down" \
  --query 'Reservations[].Instances[].[Tags[?Key==`Node`]|[0].Value,InstanceId,State.Name]' --output text 2>&1)"; then
  problem "cannot list the EC2 instances: $instances"
  instances=""
fi
for n in "${NODES[@]}"; do
  read -r _ iid state < <(awk -v n="$n" '$1 == n' <<<"$instances") || true
  if [[ -z "${iid:-}" ]]; then problem "node $n has no EC2 instance"; elif [[ "$state" == running ]]; then ok "instance $iid ($n) running"; else problem "instance $iid ($n) is $state"; fi
  iid="" state=""
done

# Pod states from the objects' fields, not from the printed table's columns: the same on every apiserver.
step "Pods not running"
bad="$(kubectl get pods --all-namespaces --no-headers -o custom-columns='NS:.metadata.namespace,NAME:.metadata.name,PHASE:.status.phase,WAITING:.status.containerStatuses[*].state.waiting.reason,RESTARTS:.status.containerStatuses[*].restartCount' 2>/dev/null |
  awk '($3 != "Running" && $3 != "Succeeded") || $4 != "<none>" {r = ($4 != "<none>") ? $4 : $3; print "    " $1 "/" $2 ": " r " (restarts " $5 ")"}')"
if [[ -n "$bad" ]]; then
  problem "some pods are not running:"
  printf '%s\n' "$bad"
else
  ok "every pod is Running or Completed"
fi

step "System pods"
total="$(kubectl get pods -n kube-system --no-headers 2>/dev/null | wc -l)"
if ((total == 0)); then problem "no pods in namespace kube-system"; else ok "$total pod(s) in kube-system"; fi
# calico-node runs in calico-system under the Tigera operator (infra/ansible), in kube-system from the plain manifest.
calico="$(kubectl get pods --all-namespaces -l k8s-app=calico-node --no-headers 2>/dev/null | wc -l)"
if ((calico < ${#NODES[@]})); then problem "$calico calico-node pod(s), expected one per node (${#NODES[@]})"; else ok "$calico calico-node pod(s)"; fi

echo
if ((problems > 0)); then
  printf 'Cluster %s: UNHEALTHY (%d problem(s)). For details run verify-cluster-status.sh.\n' "$CLUSTER" "$problems"
  exit 1
fi
printf 'Cluster %s: healthy\n' "$CLUSTER"
