#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: remote-health-check.sh NODE

Runs a health check on the node itself (through Session Manager, no SSH) and
prints the report: containerd and kubelet are active, the kubelet's /healthz
answers, swap is off, the kernel modules and sysctls Kubernetes needs are set,
disk and memory use, running containers. On the master it also checks the
API server and etcd from the node. Read-only.

NODE is one of: ${NODES[*]}
On TARGET=sandbox it reports the simulated node's state.

Options:
  --help, -h  show this help

Environment: TARGET=aws|sandbox (default aws), CLUSTER, SANDBOX_STATE (sandbox),
AWS_REGION (aws).

Exit codes: 0 healthy, 1 unhealthy or the check could not run, 2 wrong usage.
HELP
}

NODE=""
while (($# > 0)); do
  case "$1" in
    --help | -h) usage; exit 0 ;;
    -*) usage_error "unknown option: $1" ;;
    *) [[ -z "$NODE" ]] || usage_error "only one NODE"; NODE="$1" ;;
  esac
  shift
done
check_target
[[ -n "$NODE" ]] || usage_error "NODE is required (one of: ${NODES[*]})"
contains "$NODE" "${NODES[@]}" || usage_error "unknown node '$NODE' (one of: ${NODES[*]})"

if [[ "$TARGET" == sandbox ]]; then
  info="$(sandbox_node "$NODE")" || die "could not read node $NODE from the sandbox"
  read -r _ ready role tier iid <<<"$info"
  if [[ "$ready" == missing ]]; then die "$NODE is not registered in the cluster"; fi
  printf 'node %s (sandbox): %s, role %s, tier %s, instance %s\n' "$NODE" "$ready" "$role" "$tier" "$iid"
  if [[ "$ready" == Ready ]]; then log "$NODE is healthy"; exit 0; fi
  die "$NODE is not Ready"
fi

require_cmds aws
iid="$(instance_id "$NODE")"
log "running the health check on $NODE ($iid)"
# The script below runs on the node (AWS-RunShellScript, as root).
# shellcheck disable=SC2016
check_script='fail=0
check() { if eval "$2" >/dev/null 2>&1; then echo "ok    $1"; else echo "FAIL  $1"; fail=1; fi; }
check "containerd active" "systemctl is-active --quiet containerd"
check "kubelet active" "systemctl is-active --quiet kubelet"
check "kubelet /healthz" "curl -sf http://127.0.0.1:10248/healthz"
check "swap off" "[ -z \"$(swapon --show --noheadings)\" ]"
check "br_netfilter loaded" "lsmod | grep -q br_netfilter"
check "ip_forward = 1" "[ \"$(sysctl -n net.ipv4.ip_forward)\" = 1 ]"
check "root disk below 85%" "[ $(df --output=pcent / | tail -1 | tr -dc 0-9) -lt 85 ]"
if [ -f /etc/kubernetes/admin.conf ]; then
  check "API server /readyz" "kubectl --kubeconfig /etc/kubernetes/admin.conf get --raw /readyz"
  check "etcd /readyz/etcd" "kubectl --kubeconfig /etc/kubernetes/admin.conf get --raw /readyz/etcd"
fi
echo; free -m; echo; df -h /; echo
crictl --runtime-endpoint unix:///run/containerd/containerd.sock ps 2>/dev/null | head -n 30 || true
exit $fail'
if ssm_run "$iid" "$check_script"; then
  log "$NODE is healthy"
else
  die "$NODE is not healthy (see FAIL lines above)"
fi
