#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: cleanup.sh [--yes] [--phase components|infra] [--plan FILE]
       cleanup.sh --phase components --dry-run --json

Deletes the Growbin cluster. DESTRUCTIVE: data on the cluster (PostgreSQL,
RabbitMQ queues, Prometheus history) is lost.

Phases (without --phase: components, then infra):
  components  delete what Kubernetes created outside Terraform's knowledge:
              Ingresses (their ALBs), LoadBalancer Services, the operators'
              Prometheus, Alertmanager and RabbitMQ, StatefulSets and volume
              claims, then wait until their EBS volumes are gone; then any
              leftover ALB the controller tagged for this cluster. Otherwise
              'infra' would fail or leak them.
  infra       terraform destroy: instances, network, IAM, the transfer bucket,
              certificate. Kept (bootstrap/ owns them): the image bucket, the
              state bucket, the hosted zone. Refused while another run holds
              the state lock.

On a terminal it asks you to type the cluster name first. From a pipeline
(stdin not a terminal) it needs --yes, and refuses with exit code 2 without it.

Options:
  --phase PHASE  run one phase only
  --plan FILE    with --phase infra: apply exactly this saved destroy plan
                 (plan.sh --action teardown|rebuild writes it as DIR/plan.bin).
                 If the state changed since the plan, it is refused ("Saved
                 plan is stale", exit 1) and nothing changes.
  --dry-run --json
                 with --phase components: delete nothing; print the JSON list
                 [{kind, namespace, name}] of what the phase would delete
                 (namespace "" for cluster-scoped objects and load balancers)
  --yes, -y      do not ask for confirmation
  --help, -h     show this help

Environment: TARGET=aws|sandbox (default aws), CLUSTER (default growbin),
SANDBOX_STATE (sandbox), KUBECONFIG, TF_STATE_BUCKET, AWS_REGION,
TF_LOCK_TIMEOUT (60s), PVC_DELETE_TIMEOUT (10m), VOLUME_RELEASE_TIMEOUT
(seconds, 600) (aws).

Exit codes: 0 deleted, 1 failed, 2 wrong usage or refused, 130 interrupted.
HELP
}

# --dry-run --json (components only) are this script's own; the rest are the shared phase options.
DRY_RUN=0 JSON_OUT=0 rest=()
for a in "$@"; do
  case "$a" in
    --dry-run) DRY_RUN=1 ;;
    --json) JSON_OUT=1 ;;
    *) rest+=("$a") ;;
  esac
done
parse_phase_args "${rest[@]}"
check_target
case "$PHASE" in
  "" | components | infra) ;;
  *) usage_error "unknown phase '$PHASE' (phases: components infra)" ;;
esac
if ((DRY_RUN || JSON_OUT)); then
  [[ "$DRY_RUN$JSON_OUT" == 11 && "$PHASE" == components ]] || usage_error "--dry-run and --json go together, with --phase components"
fi

# components_list: print what the components phase would delete, as JSON, deleting nothing.
components_list() {
  local dir
  if [[ "$TARGET" == sandbox ]]; then
    dir="$(mktemp -d)"
    sandbox_up >&2
    # The sandbox's destroy plan lists them from its state; only components.json is kept.
    if ! sandbox plan --action teardown --out "$dir" >&2; then
      rm -rf "$dir"
      die "the sandbox could not list its components"
    fi
    cat "$dir/components.json"
    rm -rf "$dir"
    return 0
  fi
  components_list_aws
}

# components_list_aws: the objects components_aws deletes (Argo CD Applications, Ingresses, LoadBalancer
# Services, the operators' Prometheus/Alertmanager/RabbitmqCluster, StatefulSets, volume claims) and the
# leftover load balancers and target groups tagged for this cluster, as one JSON list.
components_list_aws() {
  local dir out kind
  require_cmds kubectl aws
  export KUBECONFIG="${KUBECONFIG:-$(default_kubeconfig)}"
  dir="$(mktemp -d)"
  if [[ -f "${KUBECONFIG%%:*}" ]] && kubectl --request-timeout=15s get --raw /readyz >/dev/null 2>&1; then
    kubectl get applications.argoproj.io -n argocd -o json >"$dir/k1.json" 2>/dev/null || echo '{"items":[]}' >"$dir/k1.json"
    kubectl get ingress,service,statefulset,persistentvolumeclaim --all-namespaces -o json >"$dir/k2.json" ||
      die "could not list the cluster's Ingresses, Services, StatefulSets and volume claims"
    kubectl get prometheuses.monitoring.coreos.com,alertmanagers.monitoring.coreos.com -n monitoring -o json >"$dir/k3.json" 2>/dev/null ||
      echo '{"items":[]}' >"$dir/k3.json"
    kubectl get rabbitmqclusters.rabbitmq.com -n messaging -o json >"$dir/k4.json" 2>/dev/null || echo '{"items":[]}' >"$dir/k4.json"
  else
    warn "the cluster's API server is not reachable (KUBECONFIG=$KUBECONFIG); listing no Kubernetes objects"
  fi
  for kind in loadbalancer targetgroup; do
    out="$(aws resourcegroupstaggingapi get-resources --region "$AWS_REGION" \
      --resource-type-filters "elasticloadbalancing:$kind" --tag-filters "Key=elbv2.k8s.aws/cluster,Values=$CLUSTER" \
      --query 'ResourceTagMappingList[].ResourceARN' --output text)" || die "could not list the cluster's $kind resources"
    printf '%s\n' "$out" >"$dir/$kind.txt"
  done
  # The JSON lists are read from files: a big cluster's list would not fit in one argument.
  if ! node -e '
    const fs = require("fs");
    const path = require("path");
    const dir = process.argv[1];
    const out = [];
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      for (const o of JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")).items ?? []) {
        if (o.kind === "Service" && o.spec?.type !== "LoadBalancer") continue;
        out.push({ kind: o.kind, namespace: o.metadata?.namespace ?? "", name: o.metadata?.name });
      }
    }
    for (const [file, kind] of [["loadbalancer.txt", "LoadBalancer"], ["targetgroup.txt", "TargetGroup"]])
      for (const arn of fs.readFileSync(path.join(dir, file), "utf8").split(/\s+/))
        if (arn && arn !== "None") out.push({ kind, namespace: "", name: arn });
    process.stdout.write(JSON.stringify(out) + "\n");
  ' "$dir"; then
    rm -rf "$dir"
    die "could not read the listed components"
  fi
  rm -rf "$dir"
}

if ((DRY_RUN)); then
  components_list
  exit 0
fi

case "$PHASE" in
  components) confirm "delete the Kubernetes components of cluster $CLUSTER" ;;
  *) confirm "DESTROY cluster $CLUSTER and all its data" ;;
esac

# delete_claims: delete every PersistentVolumeClaim; on failure, say which claims
# are left and what holds each (the pods mounting it, its finalizers).
delete_claims() {
  local left ns name pods
  if kubectl delete pvc --all --all-namespaces --wait=true --timeout="${PVC_DELETE_TIMEOUT:-10m}"; then
    return 0
  fi
  left="$(kubectl get pvc --all-namespaces --no-headers -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name,FIN:.metadata.finalizers 2>&1)" ||
    die "deleting the volume claims failed, and listing them failed too: $left"
  [[ -n "$left" ]] || return 0
  printf '%s: error: these volume claims were not deleted (their EBS volumes would outlive the cluster):\n' "$SCRIPT_NAME" >&2
  while read -r ns name _; do
    [[ -n "$name" ]] || continue
    pods="$(kubectl get pods -n "$ns" -o json 2>/dev/null | CLAIM="$name" json_eval \
      's.items.filter((p) => (p.spec.volumes || []).some((v) => v.persistentVolumeClaim?.claimName === process.env.CLAIM)).map((p) => p.metadata.name).join(" ")' \
      2>/dev/null || true)"
    printf '  %s/%s: finalizers %s; mounted by pods: %s\n' "$ns" "$name" \
      "$(kubectl get pvc -n "$ns" "$name" -o jsonpath='{.metadata.finalizers}' 2>/dev/null || echo '?')" "${pods:-none}" >&2
  done <<<"$left"
  die "volume claims left (see above): stop what mounts them, then run cleanup.sh --phase components again"
}

# wait_volumes_released: the EBS CSI driver deletes a claim's volume once it is
# detached; wait for every volume it created for this cluster (StorageClass tag
# Cluster=<name>) to be gone, so none outlives the cluster or blocks a rebuild.
wait_volumes_released() {
  local timeout="${VOLUME_RELEASE_TIMEOUT:-600}" start vols
  start=$SECONDS
  while :; do
    vols="$(aws ec2 describe-volumes --region "$AWS_REGION" \
      --filters "Name=tag:Cluster,Values=$CLUSTER" "Name=tag-key,Values=ebs.csi.aws.com/cluster" \
      --query 'Volumes[].[VolumeId,State]' --output text)" || die "could not list the cluster's EBS volumes"
    if [[ -z "$vols" || "$vols" == None ]]; then
      log "no EBS volume of cluster $CLUSTER is left"
      return 0
    fi
    log "waiting for EBS volumes to be released: $(tr '\t\n' ': ' <<<"$vols")"
    if ((SECONDS - start >= timeout)); then
      die "EBS volumes of cluster $CLUSTER still exist after ${timeout}s: $(tr '\t\n' ': ' <<<"$vols")(delete them with aws ec2 delete-volume once detached)"
    fi
    sleep "${VOLUME_POLL_SECONDS:-10}"
    exit_if_interrupted
  done
}

components_aws() {
  local lbs tgs arn
  require_cmds kubectl aws
  export KUBECONFIG="${KUBECONFIG:-$(default_kubeconfig)}"
  # A cluster destroyed meanwhile leaves a kubeconfig pointing at a released address: do not hang on it.
  if [[ -f "${KUBECONFIG%%:*}" ]] && kubectl --request-timeout=15s get --raw /readyz >/dev/null 2>&1; then
    step "deleting Argo CD Applications (so nothing recreates what follows)"
    kubectl delete applications.argoproj.io --all -n argocd --ignore-not-found --timeout=5m || warn "could not delete Argo CD Applications"
    step "deleting Ingresses (the controller removes their ALB; ExternalDNS its records)"
    kubectl delete ingress --all --all-namespaces --wait=true --timeout=10m
    step "deleting LoadBalancer Services"
    kubectl get svc --all-namespaces -o jsonpath='{range .items[?(@.spec.type=="LoadBalancer")]}{.metadata.namespace}{" "}{.metadata.name}{"\n"}{end}' |
      while read -r ns name; do
        if [[ -n "$name" ]]; then kubectl delete svc -n "$ns" "$name" --wait=true --timeout=5m; fi
      done
    step "stopping what mounts volumes (operators would otherwise recreate their pods)"
    # The Prometheus operator keeps Prometheus and Alertmanager running from their
    # custom resources; the RabbitMQ operator its broker. Delete those, then the
    # StatefulSets, so no pod holds a claim.
    kubectl delete prometheuses.monitoring.coreos.com,alertmanagers.monitoring.coreos.com --all -n monitoring \
      --ignore-not-found --wait=true --timeout=5m 2>/dev/null || warn "could not delete the Prometheus operator's resources"
    kubectl delete rabbitmqclusters.rabbitmq.com --all -n messaging --ignore-not-found --wait=true --timeout=5m 2>/dev/null ||
      warn "could not delete the RabbitmqCluster"
    kubectl delete statefulset --all --all-namespaces --ignore-not-found --wait=true --timeout=5m
    step "deleting PersistentVolumeClaims (the EBS CSI driver deletes their volumes)"
    delete_claims
    step "waiting for the cluster's EBS volumes to be released"
    wait_volumes_released
  else
    warn "the cluster's API server is not reachable (KUBECONFIG=$KUBECONFIG); skipping the Kubernetes objects"
  fi
  step "looking for leftover load balancers and target groups of cluster $CLUSTER"
  lbs="$(aws resourcegroupstaggingapi get-resources --region "$AWS_REGION" \
    --resource-type-filters elasticloadbalancing:loadbalancer \
    --tag-filters "Key=elbv2.k8s.aws/cluster,Values=$CLUSTER" \
    --query 'ResourceTagMappingList[].ResourceARN' --output text)"
  for arn in $lbs; do
    [[ "$arn" == None ]] && continue
    log "deleting load balancer $arn"
    aws elbv2 delete-load-balancer --region "$AWS_REGION" --load-balancer-arn "$arn"
    # Its network interfaces must be gone before terraform can delete the subnets.
    aws elbv2 wait load-balancers-deleted --region "$AWS_REGION" --load-balancer-arns "$arn"
  done
  # Target groups outlive their load balancer and keep a reference to the VPC.
  tgs="$(aws resourcegroupstaggingapi get-resources --region "$AWS_REGION" \
    --resource-type-filters elasticloadbalancing:targetgroup \
    --tag-filters "Key=elbv2.k8s.aws/cluster,Values=$CLUSTER" \
    --query 'ResourceTagMappingList[].ResourceARN' --output text)"
  for arn in $tgs; do
    [[ "$arn" == None ]] && continue
    log "deleting target group $arn"
    aws elbv2 delete-target-group --region "$AWS_REGION" --target-group-arn "$arn"
  done
  log "components of $CLUSTER deleted"
}

infra_aws() {
  # A saved destroy plan from plan.sh: exactly that, or "Saved plan is stale" and nothing changes.
  [[ -z "$PLAN_FILE" ]] || tf_apply_plan "$PLAN_FILE"
  require_cmds terraform aws
  refuse_if_state_locked
  tf_init
  exit_if_interrupted
  tf_var_args
  # Confirmed above; exec so that an interrupt reaches terraform itself.
  # The image bucket, the state bucket and the hosted zone are in bootstrap/'s
  # state, not this one: a destroy never reaches user data.
  exec terraform -chdir="$TF_DIR" destroy "${TF_ARGS[@]}" "-lock-timeout=$TF_LOCK_TIMEOUT" -auto-approve
}

run_phase() {
  if [[ "$TARGET" == aws ]]; then
    if [[ "$1" == components ]]; then components_aws; else infra_aws; fi
  else
    sandbox_up
    if [[ -n "$PLAN_FILE" ]]; then sandbox_exec teardown --phase "$1" --plan "$PLAN_FILE"; fi
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
