#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: check-monitoring-status.sh

Checks the monitoring stack (kube-prometheus-stack in namespace monitoring) and
prints a report: Prometheus, Alertmanager, Grafana, the Prometheus operator,
kube-state-metrics and the node exporters are all ready, and the Helm release
is deployed. Read-only. It never prints the Grafana password.

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
  sandbox_exec check monitoring
fi

require_cmds kubectl
use_kubeconfig

step "Workloads in namespace monitoring"
kubectl get deploy,statefulset,daemonset -n monitoring || problem "cannot list namespace monitoring"
while read -r kind name ready want; do
  if [[ -z "$name" ]]; then continue; fi
  if [[ "$ready" == "$want" && "$want" != 0 ]]; then echo "  ok: $kind/$name $ready/$want"; else problem "$kind/$name has $ready of $want ready"; fi
done < <(
  kubectl get deploy -n monitoring -o jsonpath='{range .items[*]}{"deployment "}{.metadata.name}{" "}{.status.readyReplicas}{" "}{.spec.replicas}{"\n"}{end}' 2>/dev/null
  kubectl get statefulset -n monitoring -o jsonpath='{range .items[*]}{"statefulset "}{.metadata.name}{" "}{.status.readyReplicas}{" "}{.spec.replicas}{"\n"}{end}' 2>/dev/null
  kubectl get daemonset -n monitoring -o jsonpath='{range .items[*]}{"daemonset "}{.metadata.name}{" "}{.status.numberReady}{" "}{.status.desiredNumberScheduled}{"\n"}{end}' 2>/dev/null
)
# Listed once: piping kubectl into `grep -q` under pipefail fails whenever grep stops reading first (SIGPIPE).
pods="$(kubectl get pods -n monitoring --no-headers -o custom-columns='NAME:.metadata.name' 2>/dev/null || true)"
for part in prometheus alertmanager grafana; do
  grep -q "$part" <<<"$pods" || problem "no $part pod in namespace monitoring"
done

if command -v helm >/dev/null 2>&1; then
  step "Helm release"
  status="$(helm status kube-prometheus-stack -n monitoring -o json 2>/dev/null | json_eval 's.info.status' || true)"
  if [[ "$status" == deployed ]]; then echo "  ok: kube-prometheus-stack is deployed"; else problem "helm release kube-prometheus-stack is '${status:-missing}'"; fi
fi

echo
if ((problems > 0)); then
  printf 'Monitoring of %s: UNHEALTHY (%d problem(s))\n' "$CLUSTER" "$problems"
  exit 1
fi
printf 'Monitoring of %s: healthy\n' "$CLUSTER"
