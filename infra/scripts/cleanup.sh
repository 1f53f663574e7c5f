#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: cleanup.sh [--yes] [--phase components|infra]

Deletes the Growbin cluster. DESTRUCTIVE: data on the cluster (PostgreSQL,
RabbitMQ queues, Prometheus history) is lost.

Phases (without --phase: components, then infra):
  components  delete what Kubernetes created outside Terraform's knowledge:
              Ingresses (their ALBs), LoadBalancer Services and volume claims
              (their EBS volumes); then any leftover ALB the controller tagged
              for this cluster. Otherwise 'infra' would fail or leak them.
  infra       terraform destroy: instances, network, IAM, buckets, certificate.

On a terminal it asks you to type the cluster name first. From a pipeline
(stdin not a terminal) it needs --yes, and refuses with exit code 2 without it.

Options:
  --phase PHASE  run one phase only
  --yes, -y      do not ask for confirmation
  --help, -h     show this help

Environment: TARGET=aws|sandbox (default aws), CLUSTER (default growbin),
SANDBOX_STATE (sandbox), KUBECONFIG, TF_STATE_BUCKET and AWS_REGION (aws).

Exit codes: 0 deleted, 1 failed, 2 wrong usage or refused, 130 interrupted.
HELP
}

parse_phase_args "$@"
check_target
case "$PHASE" in
  "" | components | infra) ;;
  *) usage_error "unknown phase '$PHASE' (phases: components infra)" ;;
esac

case "$PHASE" in
  components) confirm "delete the Kubernetes components of cluster $CLUSTER" ;;
  *) confirm "DESTROY cluster $CLUSTER and all its data" ;;
esac

components_aws() {
  local lbs arn
  require_cmds kubectl aws
  export KUBECONFIG="${KUBECONFIG:-$(default_kubeconfig)}"
  if [[ -f "${KUBECONFIG%%:*}" ]] && kubectl get --raw /readyz >/dev/null 2>&1; then
    step "deleting Ingresses (the controller removes their ALBs)"
    kubectl delete ingress --all --all-namespaces --wait=true --timeout=10m
    step "deleting LoadBalancer Services"
    kubectl get svc --all-namespaces -o jsonpath='{range .items[?(@.spec.type=="LoadBalancer")]}{.metadata.namespace}{" "}{.metadata.name}{"\n"}{end}' |
      while read -r ns name; do
        if [[ -n "$name" ]]; then kubectl delete svc -n "$ns" "$name" --wait=true --timeout=5m; fi
      done
    step "deleting Argo CD Applications (so nothing recreates what follows)"
    kubectl delete applications.argoproj.io --all -n argocd --ignore-not-found --timeout=5m || warn "could not delete Argo CD Applications"
    step "deleting PersistentVolumeClaims (the EBS CSI driver deletes their volumes)"
    kubectl delete statefulset --all -n default --ignore-not-found --timeout=5m
    kubectl delete rabbitmqclusters.rabbitmq.com --all -n messaging --ignore-not-found --timeout=5m || true
    kubectl delete pvc --all --all-namespaces --wait=true --timeout=10m
  else
    warn "the cluster's API server is not reachable (KUBECONFIG=$KUBECONFIG); skipping the Kubernetes objects"
  fi
  step "looking for leftover load balancers of cluster $CLUSTER"
  lbs="$(aws resourcegroupstaggingapi get-resources --region "$AWS_REGION" \
    --resource-type-filters elasticloadbalancing:loadbalancer \
    --tag-filters "Key=elbv2.k8s.aws/cluster,Values=$CLUSTER" \
    --query 'ResourceTagMappingList[].ResourceARN' --output text)"
  for arn in $lbs; do
    [[ "$arn" == None ]] && continue
    log "deleting load balancer $arn"
    aws elbv2 delete-load-balancer --region "$AWS_REGION" --load-balancer-arn "$arn"
  done
  log "components of $CLUSTER deleted"
}

infra_aws() {
  require_cmds terraform
  tf_init
  exit_if_interrupted
  tf_var_args
  # Confirmed above; exec so that an interrupt reaches terraform itself.
  exec terraform -chdir="$TF_DIR" destroy "${TF_ARGS[@]}" -auto-approve
}

run_phase() {
  if [[ "$TARGET" == aws ]]; then
    if [[ "$1" == components ]]; then components_aws; else infra_aws; fi
  else
    sandbox_up
    sandbox_exec teardown --phase "$1"
  fi
}

if [[ -n "$PHASE" ]]; then
  log "phase $PHASE (TARGET=$TARGET, CLUSTER=$CLUSTER)"
  run_phase "$PHASE"
  exit 0
fi

if [[ "$TARGET" == sandbox ]]; then sandbox_up; export SANDBOX_UP_DONE=1; fi
for p in components infra; do
  step "cleanup: $p"
  "$SCRIPTS_DIR/cleanup.sh" --yes --phase "$p"
  exit_if_interrupted
done
log "cluster $CLUSTER deleted (TARGET=$TARGET)"
