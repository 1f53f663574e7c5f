#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: reset-node.sh [--yes] NODE|all

Resets a Kubernetes node with 'kubeadm reset': the node leaves the cluster and
its Kubernetes state (certificates, static pods, CNI configuration, iptables
rules) is wiped. DESTRUCTIVE. Resetting the master, or 'all', destroys the
control plane and etcd, hence the whole cluster's state.
To bring a node back: build-cluster.sh --phase kubernetes, then the later phases
that place pods on it.

NODE is one of: ${NODES[*]}, or 'all' (workers first, the master last).

On a terminal it asks you to type the cluster name first. From a pipeline
(stdin not a terminal) it needs --yes, and refuses with exit code 2 without it.
On AWS it runs through Session Manager (no SSH).

Options:
  --yes, -y   do not ask for confirmation
  --help, -h  show this help

Environment: TARGET=aws|sandbox (default aws), CLUSTER, SANDBOX_STATE (sandbox),
KUBECONFIG and AWS_REGION (aws).

Exit codes: 0 reset, 1 failed, 2 wrong usage or refused, 130 interrupted.
HELP
}

NODE=""
while (($# > 0)); do
  case "$1" in
    --yes | -y) ASSUME_YES=1 ;;
    --help | -h) usage; exit 0 ;;
    -*) usage_error "unknown option: $1" ;;
    *) [[ -z "$NODE" ]] || usage_error "only one NODE"; NODE="$1" ;;
  esac
  shift
done
check_target
[[ -n "$NODE" ]] || usage_error "NODE is required (one of: ${NODES[*]} all)"
[[ "$NODE" == all ]] || contains "$NODE" "${NODES[@]}" || usage_error "unknown node '$NODE' (one of: ${NODES[*]} all)"

if [[ "$NODE" == all ]]; then
  targets=(worker-1 worker-2 storage master)
  confirm "reset ALL nodes of $CLUSTER (kubeadm reset: the cluster is gone)"
else
  targets=("$NODE")
  confirm "reset node $NODE of $CLUSTER (kubeadm reset)"
fi

reset_aws() {
  local n="$1" iid
  iid="$(instance_id "$n")"
  if [[ "$n" != master && -f "${KUBECONFIG%%:*}" ]]; then
    log "draining $n"
    kubectl drain "$n" --ignore-daemonsets --delete-emptydir-data --force --timeout=5m || warn "drain of $n did not finish"
  fi
  log "kubeadm reset on $n ($iid)"
  ssm_run "$iid" 'set -eu
kubeadm reset --force
rm -rf /etc/cni/net.d /var/lib/cni /root/.kube
iptables -F && iptables -t nat -F && iptables -t mangle -F && iptables -X
ip link delete vxlan.calico 2>/dev/null || true
systemctl restart containerd
echo "node reset"' || die "kubeadm reset failed on $n"
  if [[ "$n" != master && -f "${KUBECONFIG%%:*}" ]]; then
    kubectl delete node "$n" --ignore-not-found || warn "could not delete node object $n"
  fi
}

if [[ "$TARGET" == sandbox ]]; then
  sandbox_up
  for n in "${targets[@]}"; do
    log "resetting $n"
    sandbox reset-node --node "$n" || die "reset of $n failed"
    exit_if_interrupted
  done
  log "reset: ${targets[*]}"
  exit 0
fi

require_cmds aws kubectl
export KUBECONFIG="${KUBECONFIG:-$(default_kubeconfig)}"
for n in "${targets[@]}"; do
  reset_aws "$n"
  exit_if_interrupted
done
log "reset: ${targets[*]}. Rejoin with: build-cluster.sh --phase kubernetes"
