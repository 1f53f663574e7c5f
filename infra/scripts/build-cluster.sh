#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: build-cluster.sh [--yes] [--phase PHASE [--plan FILE]]

Builds the Growbin cluster: creates the AWS infrastructure with Terraform, then
configures the 4 nodes (master, worker-1, worker-2, storage) with Ansible, and
waits until all 4 Kubernetes nodes are Ready. Without --phase it runs every
phase in order; with --phase it runs only that one (the portal runs them as
separate steps). A full build on AWS takes 40-50 minutes.

Phases, in order:
  infra       terraform init + apply (VPC, security groups, EC2, IAM, S3, ACM, the API
              address); refused while another run holds the state lock
  inventory   write the Ansible inventory from terraform output
  os          swap off, kernel modules, sysctl, containerd
  kubernetes  kubelet/kubeadm/kubectl 1.28.4, kubeadm init, worker joins, node labels
  cni         Calico (VXLAN)
  storage     EBS CSI driver and the gp3 StorageClass
  addons      AWS Load Balancer Controller, ExternalDNS, cert-manager
  monitoring  kube-prometheus-stack
  gitops      Argo CD
  messaging   RabbitMQ operator, RabbitmqCluster, the 5 queues
  data        Redis, PostgreSQL, Celery Beat
  apps        Argo CD Applications, the Ingresses (one ALB), NetworkPolicies,
              the portal's RBAC and its read-only kubeconfig
  wait-nodes  wait until the 4 nodes are Ready (WAIT_NODES_TIMEOUT seconds, default 900)

Options:
  --phase PHASE  run one phase only
  --plan FILE    with --phase infra: apply exactly this saved plan (plan.sh
                 --action provision writes it as DIR/plan.bin). If the state
                 changed since the plan, it is refused ("Saved plan is stale",
                 exit 1) and nothing changes.
  --yes, -y      do not ask; needed for 'infra' when not run from a terminal
                 (terraform apply is then auto-approved)
  --help, -h     show this help

Environment:
  TARGET=aws|sandbox   where to build (default aws). sandbox drives the local
                       fake cluster (infra/sandbox) instead of AWS.
  CLUSTER              cluster name (default growbin)
  SANDBOX_STATE        sandbox state directory (default .data/sandbox)
  KUBECONFIG           aws: where the admin kubeconfig is written
  TF_STATE_BUCKET      aws: S3 bucket of the Terraform state (required for infra;
                       created by infra/terraform/bootstrap)
  TF_LOCK_TIMEOUT      aws: how long terraform waits for a state lock (default 60s)
  AWS_REGION           aws: region (default ap-northeast-2)
  RABBITMQ_ADMIN_PASSWORD, GRAFANA_ADMIN_PASSWORD, POSTGRES_PASSWORD,
  REDIS_PASSWORD       aws: secrets, unless they are in ansible-vault
  ANSIBLE_VAULT_PASSWORD_FILE  aws: to read group_vars/all/vault.yml

Exit codes: 0 built, 1 failed, 2 wrong usage or refused, 130 interrupted.
HELP
}

parse_phase_args "$@"
check_target
if [[ -n "$PHASE" ]] && ! contains "$PHASE" "${PROVISION_PHASES[@]}"; then
  usage_error "unknown phase '$PHASE' (phases: ${PROVISION_PHASES[*]})"
fi

wait_nodes_aws() {
  local timeout="${WAIT_NODES_TIMEOUT:-900}" start ready
  use_kubeconfig
  start=$SECONDS
  while :; do
    ready="$(kubectl get nodes --no-headers 2>/dev/null | awk '$2 == "Ready" {print $1}' | sort | tr '\n' ' ' || true)"
    log "Ready nodes: ${ready:-none}"
    if [[ "$ready" == "master storage worker-1 worker-2 " ]]; then
      log "all 4 nodes are Ready"
      return 0
    fi
    ((SECONDS - start < timeout)) || die "timed out after ${timeout}s waiting for 4 Ready nodes"
    sleep 10
    exit_if_interrupted
  done
}

run_phase_aws() {
  local phase="$1" inv
  case "$phase" in
    infra)
      require_cmds terraform aws
      if [[ "$ASSUME_YES" != 1 && ! -t 0 ]]; then
        printf '%s: refusing to terraform apply without --yes (stdin is not a terminal)\n' "$SCRIPT_NAME" >&2
        exit "$EXIT_USAGE"
      fi
      # A saved plan holds its own variables and is applied without a question.
      [[ -z "$PLAN_FILE" ]] || tf_apply_plan "$PLAN_FILE"
      refuse_if_state_locked
      tf_init
      exit_if_interrupted
      tf_var_args
      TF_ARGS+=("-lock-timeout=$TF_LOCK_TIMEOUT")
      [[ "$ASSUME_YES" == 1 ]] && TF_ARGS+=(-auto-approve)
      # exec: terraform gets the interrupt itself and releases the state lock.
      exec terraform -chdir="$TF_DIR" apply "${TF_ARGS[@]}"
      ;;
    inventory)
      require_cmds terraform
      tf_init >/dev/null
      inv="$(ansible_inventory_path)"
      (umask 077 && terraform -chdir="$TF_DIR" output -raw ansible_inventory >"$inv.tmp")
      mv "$inv.tmp" "$inv"
      log "wrote the Ansible inventory to $inv"
      if grep -q '^ *api_reachable_from_outside: false' "$inv"; then
        warn "api_ingress_cidrs is empty: the fetched kubeconfigs point at $(terraform -chdir="$TF_DIR" output -raw api_endpoint), which only the nodes reach; from here, use the SSM port-forward (infra/terraform/README.md)"
      fi
      ;;
    wait-nodes)
      require_cmds kubectl
      wait_nodes_aws
      ;;
    *)
      require_cmds ansible-playbook
      inv="$(ansible_inventory_path)"
      [[ -f "$inv" ]] || die "no inventory at $inv; run the 'inventory' phase first"
      export KUBECONFIG="${KUBECONFIG:-$(default_kubeconfig)}"
      mkdir -p "$(dirname "$KUBECONFIG")"
      cd "$ANSIBLE_DIR"
      ANSIBLE_CONFIG="$ANSIBLE_DIR/ansible.cfg" exec ansible-playbook -i "$inv" site.yml --tags "$phase"
      ;;
  esac
}

run_phase_sandbox() {
  local phase="$1"
  sandbox_up
  # The sandbox CLI knows every phase, wait-nodes included (with its own timeout).
  if [[ -n "$PLAN_FILE" ]]; then sandbox_exec provision --phase "$phase" --plan "$PLAN_FILE"; fi
  sandbox_exec provision --phase "$phase"
}

if [[ -n "$PHASE" ]]; then
  log "phase $PHASE (TARGET=$TARGET, CLUSTER=$CLUSTER)"
  if [[ "$TARGET" == aws ]]; then run_phase_aws "$PHASE"; else run_phase_sandbox "$PHASE"; fi
  exit 0
fi

# All phases, each as a child in the foreground of this process group.
[[ "$TARGET" == aws ]] && require_cmds terraform ansible-playbook kubectl aws
args=()
[[ "$ASSUME_YES" == 1 ]] && args+=(--yes)
if [[ "$TARGET" == sandbox ]]; then sandbox_up; export SANDBOX_UP_DONE=1; fi
for p in "${PROVISION_PHASES[@]}"; do
  step "build-cluster: $p"
  "$SCRIPTS_DIR/build-cluster.sh" "${args[@]}" --phase "$p"
  exit_if_interrupted
done
log "cluster $CLUSTER built (TARGET=$TARGET)"
